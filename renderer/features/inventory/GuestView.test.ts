import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { IpcError } from '../../../shared/ipc/errors';
import { byTestId, click, exists, fakeIpc, mountInApp } from '../../testing';
import { connectionList, profileView } from '../connections/testing';
import GuestView from './GuestView.vue';
import { notesPreviewChars } from './notes-markdown';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from './testing/inventory-host';
import './testing/node-name-getter';
import { guestSummary, summaryRouter } from './testing/summary-host';
import { summaryRefreshMs } from './use-polled-summary';

const gib = 1024 ** 3;
const vm100 = guestItem(100, { maxcpu: 4, cpu: 0.25, mem: 2 * gib, maxmem: 8 * gib, uptime: 100, tags: ['web', 'prod'], pool: 'students' });

async function showGuest(options: { items?: InventoryItem[]; permissions?: PermissionMap; vmid?: string } = {}) {
  serveInventory(fakeIpc, [
    { feed: clusterFeed(), items: options.items ?? [nodeItem('pve1'), vm100], ...(options.permissions ? { permissions: options.permissions } : {}) },
  ]);
  const router = summaryRouter();
  await mountInApp(GuestView, { profileId: labProfileId, vmid: options.vmid ?? '100' }, [router]);
  await flushPromises();
  return router;
}

const text = (testId: string) => byTestId(testId).textContent ?? '';

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});
afterEach(() => vi.useRealTimers());

describe('GuestView', () => {
  it('shows the guest’s state, node, load, memory and balloon, disks, NICs with the agent’s addresses, tags, pool and notes', async () => {
    fakeIpc.answer('inventory.guestSummary', () => guestSummary());
    const router = await showGuest();
    expect(fakeIpc.callsOf('inventory.guestSummary')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100 }]);
    const summary = byTestId('guest-summary');
    expect(summary.dataset.state).toBe('running');
    expect(summary.querySelector('h1')?.textContent).toBe('vm-100 (100)');
    expect(summary.querySelector('.state-label')?.textContent).toContain('running');
    expect(summary.textContent).toContain('3\u00a0d 4\u00a0h');
    expect(text('guest-cpu')).toContain('1 of 4 CPUs (25%)');
    expect(text('guest-memory')).toContain('2\u00a0GiB of 8\u00a0GiB (25%)');
    expect(text('guest-balloon')).toBe('minimum 2\u00a0GiB, current size 6\u00a0GiB');
    expect(text('guest-lock')).toBe('none');
    expect([...byTestId('guest-tags').querySelectorAll('.n-tag')].map((tag) => tag.textContent)).toEqual(['web', 'prod']);
    const disks = [...byTestId('guest-disks').querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(disks[0]).toContain('local-lvm:vm-100-disk-0');
    expect(disks[0]).toContain('32\u00a0GiB');
    expect(disks[1]).toContain('CD/DVD drive');
    const nic = byTestId('guest-nics').querySelector('tbody tr')?.textContent ?? '';
    for (const fact of ['virtio', 'BC:24:11:00:00:01', 'vmbr0', '20', 'yes', '192.0.2.10', '2001:db8::10']) expect(nic).toContain(fact);
    expect(byTestId('guest-agent').dataset.agent).toBe('answered');
    expect(byTestId('guest-notes').querySelector('h1')?.textContent).toBe('Web server');

    byTestId('guest-node').click();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/inventory/${labProfileId}/node/pve1`);
  });

  it('says why there are no addresses when the agent is not configured, not running or not allowed', async () => {
    for (const [agent, sentence] of [
      ['disabled', 'No guest agent is configured'],
      ['not-running', 'The guest agent is not running'],
      ['no-permission', 'may not ask the guest agent (VM.Monitor)'],
    ] as const) {
      fakeIpc.reset();
      document.body.innerHTML = '';
      fakeIpc.answer('inventory.guestSummary', () =>
        guestSummary({ agent, nics: [{ key: 'net0', model: 'e1000', mac: 'BC:24:11:00:00:02', bridge: 'vmbr1' }] }),
      );
      await showGuest();
      expect(text('guest-agent')).toContain(sentence);
      expect(byTestId('guest-nics').querySelector('tbody tr td:last-child')?.textContent?.trim()).toBe('—');
    }
  });

  it('offers the power actions of its state, disabled with the missing privilege, and none without VM.Audit', async () => {
    fakeIpc.answer('inventory.guestSummary', () => guestSummary());
    await showGuest({ permissions: { '/vms/100': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 } } });
    expect(['shutdown', 'stop', 'reboot', 'reset', 'suspend', 'hibernate'].every((action) => exists(`power-${action}`))).toBe(true);
    expect(exists('power-start')).toBe(false);
    expect((byTestId('power-shutdown') as HTMLButtonElement).disabled).toBe(false);

    fakeIpc.reset();
    document.body.innerHTML = '';
    fakeIpc.answer('inventory.guestSummary', () => guestSummary());
    await showGuest({ permissions: { '/vms/100': { 'VM.Audit': 0 } } });
    const stop = byTestId('power-stop') as HTMLButtonElement;
    expect(stop.disabled).toBe(true);
    expect(stop.title).toBe('You lack the VM.PowerMgmt privilege on this guest.');
    expect(text('power-unavailable')).toContain('VM.PowerMgmt');

    fakeIpc.reset();
    document.body.innerHTML = '';
    fakeIpc.answer('inventory.guestSummary', () => guestSummary());
    await showGuest({ permissions: { '/vms/200': { 'VM.Audit': 0 } } });
    expect(document.querySelector('[data-testid^="power-"]')).toBeNull();
  });

  it('starts a stopped guest through inventory.power', async () => {
    fakeIpc.answer('inventory.guestSummary', () => guestSummary({ status: 'stopped', qmpstatus: 'stopped', cpu: 0, mem: 0, uptime: 0 }));
    fakeIpc.answer('inventory.power', () => []);
    await showGuest({ items: [guestItem(100, { status: 'stopped' })] });
    await click('power-start');
    expect(fakeIpc.callsOf('inventory.power')).toEqual([{ action: 'start', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] }]);
  });

  it('asks again every few seconds and at once when the inventory reports a change of the guest', async () => {
    vi.useFakeTimers();
    fakeIpc.answer('inventory.guestSummary', () => guestSummary());
    await showGuest();
    expect(fakeIpc.callsOf('inventory.guestSummary')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(summaryRefreshMs);
    expect(fakeIpc.callsOf('inventory.guestSummary')).toHaveLength(2);

    fakeIpc.answer('inventory.guestSummary', () => guestSummary({ status: 'stopped', qmpstatus: 'stopped', lock: 'backup' }));
    fakeIpc.emit('inventory.changed', { feed: clusterFeed({ revision: 2 }), baseRevision: 1, upserted: [{ ...vm100, lock: 'backup' }], removed: [] });
    await flushPromises();
    expect(fakeIpc.callsOf('inventory.guestSummary')).toHaveLength(3);
    // The inventory's entry shows the new state at once; the summary's details follow.
    expect(byTestId('guest-summary').dataset.state).toBe('locked');
    expect(text('guest-lock')).toBe('backup');
  });

  it('says the guest is not in the inventory and offers to open it', async () => {
    const router = await showGuest({ vmid: '999' });
    expect(byTestId('summary-error').dataset.code).toBe('NOT_IN_INVENTORY');
    expect(text('summary-error')).toContain('Guest 999 is not in the inventory of Lab');
    expect(fakeIpc.callsOf('inventory.guestSummary')).toEqual([]);
    byTestId('summary-error').querySelector('button')?.click();
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('inventory');
  });

  it.each([
    { known: 'its profile’s name', profiles: [profileView({ id: labProfileId, name: 'Production' })], cluster: 'Production' },
    { known: 'nothing', profiles: [], cluster: 'this cluster' },
  ])('names a disconnected cluster, whose profile says $known, without its profile id', async ({ profiles, cluster }) => {
    fakeIpc.answer('connections.list', () => connectionList(profiles));
    serveInventory(fakeIpc, []);
    await mountInApp(GuestView, { profileId: labProfileId, vmid: '100' }, [summaryRouter()]);
    await flushPromises();
    expect(text('summary-error')).toContain(`Guest 100 is not in the inventory of ${cluster}:`);
    expect(text('summary-error')).not.toContain(labProfileId);
  });

  it('names the privilege when the account may not read the details, and the gone guest when it was deleted', async () => {
    fakeIpc.answer('inventory.guestSummary', () => {
      throw new IpcError('PERMISSION_DENIED', 'Permission check failed (/vms/100, VM.Audit)');
    });
    await showGuest();
    expect(byTestId('summary-error').dataset.code).toBe('PERMISSION_DENIED');
    expect(text('summary-error')).toContain('The account is not allowed to do this on the cluster.');
    expect(text('summary-error')).toContain('(VM.Audit on /vms/100). Ask an administrator');
    // What the inventory knows still shows.
    expect(byTestId('guest-summary').dataset.state).toBe('running');

    fakeIpc.reset();
    document.body.innerHTML = '';
    fakeIpc.answer('inventory.guestSummary', () => {
      throw new IpcError('NOT_FOUND', 'VM 100 not found');
    });
    await showGuest();
    expect(text('summary-error')).toContain('It no longer exists on the cluster.');
  });

  it('keeps the last figures when the cluster stops answering, and says so', async () => {
    vi.useFakeTimers();
    fakeIpc.answer('inventory.guestSummary', () => guestSummary());
    await showGuest();
    fakeIpc.answer('inventory.guestSummary', () => {
      throw new IpcError('UNREACHABLE', 'pve1: connection refused');
    });
    await vi.advanceTimersByTimeAsync(summaryRefreshMs);
    expect(text('summary-error')).toContain('the figures shown are the last known ones');
    expect(exists('guest-disks')).toBe(true);
    fakeIpc.emit('inventory.changed', { feed: clusterFeed({ revision: 1, state: 'unreachable' }), baseRevision: 1, upserted: [], removed: [] });
    await flushPromises();
    expect(byTestId('feed-state').dataset.state).toBe('unreachable');
  });

  it('renders hostile names, tags and notes as inert text', async () => {
    const hostile = '<img src=x onerror="window.hacked=1">\u202Egpj.exe';
    fakeIpc.answer('inventory.guestSummary', () =>
      guestSummary({
        name: hostile,
        tags: ['<b>bold</b>'],
        description: `<script>window.hacked=1</script>\n\n[click](javascript:alert(1))\n\n<iframe src="https://evil.example"></iframe>\n\n![x](https://evil.example/x.png)`,
        nics: [{ key: 'net0', model: '<svg onload=alert(1)>', bridge: 'vmbr0\u2066', addresses: ['<script>'] }],
      }),
    );
    await showGuest({ items: [guestItem(100, { name: hostile, tags: ['<b>bold</b>'] })] });
    const summary = byTestId('guest-summary');
    expect(summary.querySelectorAll('img, script, iframe, b, [onload], [onerror]')).toHaveLength(0);
    // The only SVGs are the app's own icons.
    expect([...summary.querySelectorAll('svg')].filter((svg) => svg.closest('.n-icon, .n-base-icon') === null)).toEqual([]);
    expect(summary.querySelector('a[href^="javascript"]')).toBeNull();
    expect(summary.querySelector('h1')?.textContent).toBe('<img src=x onerror="window.hacked=1">gpj.exe (100)');
    expect(summary.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(byTestId('guest-notes').textContent).toContain('<script>window.hacked=1</script>');
    expect((window as { hacked?: number }).hacked).toBeUndefined();
  });

  it('shows the formatted beginning of a 100 000-character note, and all of it as plain text on demand', async () => {
    const note = `${'lorem ipsum dolor sit amet '.repeat(10)}\n`.repeat(400).slice(0, 100_000);
    fakeIpc.answer('inventory.guestSummary', () => guestSummary({ description: note, descriptionTruncatedFrom: 250_000 }));
    await showGuest();
    expect(byTestId('guest-notes').textContent?.length).toBeLessThanOrEqual(notesPreviewChars);
    expect(text('notes-cut')).toContain('These notes are 100,000 characters long');
    expect(text('notes-truncated')).toContain('cut by the application at 100,000 of 250,000 characters');
    await click('notes-show-all');
    expect(byTestId('guest-notes').tagName).toBe('PRE');
    expect(byTestId('guest-notes').textContent).toHaveLength(100_000);
  });
});
