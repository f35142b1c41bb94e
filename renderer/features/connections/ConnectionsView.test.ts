import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportPlan } from '../../../shared/domain/connections';
import { maxImportChars } from '../../../shared/ipc/limits';
import ConnectionsView from './ConnectionsView.vue';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { connectionList, profileView } from './testing';

const connected = profileView({
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Production',
  endpoints: [
    { host: 'pve1.example.org', port: 8006, trust: { mode: 'system' } },
    { host: 'pve2.example.org', port: 8006, trust: { mode: 'pinned', fingerprint: 'AA:'.repeat(31) + 'AA' } },
  ],
  state: { status: 'connected', endpoint: 'pve2.example.org:8006', userid: 'admin@pve', clusterName: 'prod', since: '2025-01-01T00:00:00Z' },
});
const offline = profileView({
  id: '22222222-2222-4222-8222-222222222222',
  name: 'Branch office',
  state: { status: 'offline', error: { code: 'UNREACHABLE', message: 'pve1.lab:8006: connection refused' }, since: '2025-01-01T00:00:00Z' },
});
const mismatch = profileView({
  id: '33333333-3333-4333-8333-333333333333',
  name: 'Lab',
  state: {
    status: 'certificate-problem',
    error: { code: 'TLS_MISMATCH', message: 'The certificate of pve1.lab:8006 changed.' },
    since: '2025-01-01T00:00:00Z',
  },
});

function rows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('tr.connection-row')];
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});
afterEach(() => vi.restoreAllMocks());

describe('ConnectionsView', () => {
  it('lists each profile with its endpoints, account and live state', async () => {
    fakeIpc.answer('connections.list', () => connectionList([connected, offline, mismatch]));
    await mountInApp(ConnectionsView);
    expect(rows()).toHaveLength(3);
    const [first, second, third] = rows();
    expect(first?.textContent).toContain('Production');
    expect(first?.textContent).toContain('Cluster prod');
    expect(first?.querySelector('[data-active="true"]')?.textContent).toContain('pve2.example.org:8006');
    expect(first?.querySelector('[data-status]')?.getAttribute('data-status')).toBe('connected');
    expect(first?.querySelector('[data-testid="disconnect"]')).not.toBeNull();
    expect(second?.querySelector('[data-testid="state-error"]')?.textContent).toBe(
      'The cluster could not be reached at any of its addresses. (pve1.lab:8006: connection refused)',
    );
    expect(second?.querySelector('[data-testid="connect"]')).not.toBeNull();
    expect(third?.querySelector('[data-testid="review-certificate"]')).not.toBeNull();
    expect(second?.querySelector('[data-testid="review-certificate"]')).toBeNull();
    expect(byTestId('secret-backend').textContent).toContain('system keychain (Secret Service)');
  });

  it('replaces the list when the host pushes a change', async () => {
    fakeIpc.answer('connections.list', () => connectionList([offline]));
    await mountInApp(ConnectionsView);
    fakeIpc.emit('connections.changed', connectionList([{ ...offline, state: { status: 'connected', since: '2025-01-01T00:01:00Z' } }]));
    await flushPromises();
    expect(rows()[0]?.querySelector('[data-status]')?.getAttribute('data-status')).toBe('connected');
  });

  it('shows an empty state, and warns when no secret storage is available', async () => {
    fakeIpc.answer('connections.list', () => ({ profiles: [], secretBackend: { kind: 'unavailable', detail: 'no Secret Service' } }));
    await mountInApp(ConnectionsView);
    expect(exists('connections-empty')).toBe(true);
    expect(byTestId('secret-backend').dataset.kind).toBe('unavailable');
    expect(byTestId('secret-backend').textContent).toContain('passwords cannot be remembered');
  });

  it('says why the list could not be loaded', async () => {
    await mountInApp(ConnectionsView);
    expect(byTestId('connections-load-error').textContent).toContain('The application asked for an operation its host does not know.');
  });

  it('renders a hostile 10 000-character name as plain, shortened text', async () => {
    const hostile = `<img src=x onerror="window.hacked=1"><b>bold</b>\u0007\u001b[31m${'W'.repeat(10_000)}`;
    fakeIpc.answer('connections.list', () => connectionList([{ ...offline, name: hostile }]));
    await mountInApp(ConnectionsView);
    const name = rows()[0]?.querySelector('.name');
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(document.querySelector('.connection-list b')).toBeNull();
    expect(name?.textContent?.startsWith('<img src=x onerror="window.hacked=1"><b>bold</b>\uFFFD\uFFFD[31m')).toBe(true);
    expect(name?.textContent?.length).toBe(200);
    expect(name?.textContent?.endsWith('…')).toBe(true);
  });

  it('asks before deleting, saying the stored secrets go too', async () => {
    fakeIpc.answer('connections.list', () => connectionList([offline]));
    fakeIpc.answer('connections.delete', () => ({ deleted: true }));
    await mountInApp(ConnectionsView);
    rows()[0]?.querySelector<HTMLElement>('[data-testid="delete"]')?.click();
    await flushPromises();
    const dialog = document.querySelector('[data-testid="delete-dialog"]');
    expect(dialog?.textContent).toContain('together with the password, token secret and SSH secrets stored for it');
    // Named for a screen reader by its visible title, a real heading.
    const heading = document.getElementById(dialog?.getAttribute('aria-labelledby') ?? '');
    expect(heading?.tagName).toBe('H2');
    expect(heading?.textContent).toBe('Delete this connection?');
    expect(fakeIpc.callsOf('connections.delete')).toEqual([]);
    dialog?.querySelector<HTMLElement>('[data-testid="confirm-delete"]')?.click();
    await flushPromises();
    expect(fakeIpc.callsOf('connections.delete')).toEqual([{ id: offline.id }]);
    expect(rows()).toHaveLength(0);
  });

  it('downloads the export as a JSON file', async () => {
    fakeIpc.answer('connections.list', () => connectionList([offline]));
    fakeIpc.answer('connections.export', () => ({ fileName: 'pve-desk-connections.json', content: '{"format":"pve-desk.connections"}' }));
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:export';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('pve-desk-connections.json');
      expect(this.href).toBe('blob:export');
    });
    await mountInApp(ConnectionsView);
    await click('export-connections');
    expect(clicked).toHaveBeenCalledOnce();
    expect(await blobs[0]?.text()).toBe('{"format":"pve-desk.connections"}');
  });

  it('imports a file only after a review: shows the plan, applies the ticked entries with the chosen pins', async () => {
    const pinned = { host: 'pve9.example', port: 8006, trust: { mode: 'pinned' as const, fingerprint: 'AB:'.repeat(31) + 'AB' } };
    const { id: _id, stored: _stored, state: _state, ...fields } = profileView({ name: 'New lab', endpoints: [pinned] });
    const jumpHost = { host: 'bastion.example', port: 22, user: 'hop', auth: { method: 'key-file' as const, privateKeyPath: '/home/a/.ssh/bastion' } };
    const plan: ImportPlan = {
      planId: 'b'.repeat(32),
      entries: [
        { index: 0, action: 'add', fields, changes: [], pinnedFromFile: 1 },
        {
          index: 1,
          action: 'replace',
          fields: { ...fields, name: 'Branch office', ssh: { ...fields.ssh, jumpHost } },
          changes: ['endpoints', 'ssh.jumpHost'],
          pinnedFromFile: 1,
        },
      ],
      duplicates: [],
    };
    fakeIpc.answer('connections.list', () => connectionList([offline]));
    fakeIpc.answer('connections.previewImport', () => plan);
    fakeIpc.answer('connections.applyImport', () => ({ imported: ['New lab'], replaced: [], skipped: [] }));
    await mountInApp(ConnectionsView);
    const input = byTestId('import-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['{"format":"pve-desk.connections"}'], 'export.json')], configurable: true });
    input.dispatchEvent(new Event('change'));
    await flushPromises();
    await flushPromises();
    expect(fakeIpc.callsOf('connections.previewImport')).toEqual([{ content: '{"format":"pve-desk.connections"}' }]);
    // Nothing is applied before the user confirms.
    expect(fakeIpc.callsOf('connections.applyImport')).toEqual([]);
    const review = byTestId('import-review').textContent;
    expect(review).toContain('pve9.example:8006');
    expect(review).toContain('fingerprint dropped');
    expect(review).toContain('Replaces the connection of that name');
    expect(review).toContain('Changes: API addresses or certificates, jump host.');
    expect(review).toContain('hop@bastion.example:22 — key file /home/a/.ssh/bastion');

    // The new profile is ticked, the replacement is not; keep the new one's pin.
    const newEntry = document.querySelectorAll<HTMLElement>('[data-testid="import-entry"]')[0];
    newEntry?.querySelector<HTMLElement>('[data-testid="import-entry-keep-pins"]')?.click();
    await flushPromises();
    expect(newEntry?.textContent).toContain('fingerprint from the file');
    await click('apply-import');
    expect(fakeIpc.callsOf('connections.applyImport')).toEqual([{ planId: plan.planId, choices: [{ index: 0, keepPins: true }] }]);
    await settle();
    expect(exists('import-review')).toBe(false);
    expect(byTestId('import-result').textContent).toContain('1 added, 0 replaced, 0 skipped');
  });

  it('refuses a file over the import limit before sending it, saying what the limit is', async () => {
    fakeIpc.answer('connections.list', () => connectionList([offline]));
    await mountInApp(ConnectionsView);
    const input = byTestId('import-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['x'.repeat(maxImportChars + 1)], 'huge.json')], configurable: true });
    input.dispatchEvent(new Event('change'));
    await flushPromises();
    await flushPromises();
    expect(fakeIpc.callsOf('connections.previewImport')).toEqual([]);
    expect(document.body.textContent).toContain('“huge.json” is too large to be a connections export: the limit is 1,000,000 characters.');
  });
});
