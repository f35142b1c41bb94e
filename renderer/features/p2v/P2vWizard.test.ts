import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors';
import { i18n } from '../../i18n';
import { byTestId, click, exists, fakeIpc, mountInApp, type } from '../../testing';
import { labProfileId } from '../inventory/testing';
// DOMPurify under happy-dom needs the browser's nodeName getter (see there).
import '../inventory/testing/node-name-getter';
import { choose, options, problemAt } from '../operations/testing';
import P2vView from './P2vView.vue';
import { gib, inspection, jobView, plan, serveCluster } from './testing';
import { useWizardStore } from './wizard-store';

const hostile = `<img src=x onerror="alert(1)">\u0007${'x'.repeat(10_000)}`;

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

async function openWorkstationImage(path = '/images/web.img'): Promise<void> {
  fakeIpc.answer('p2v.pickImage', () => ({}));
  fakeIpc.answer('p2v.probeImage', ({ path: asked }) => ({ path: asked, fileSize: 2 * gib, formatByName: 'raw', warnings: [] }));
  await mountInApp(P2vView);
  await click('p2v-pick-image');
  await type('p2v-image-path', path);
  await click('p2v-read-image');
}

describe('P2V wizard', { timeout: 30_000 }, () => {
  it('takes a typed path where there is no file dialog, keeps the name’s format against the header, and says why', async () => {
    fakeIpc.answer('p2v.pickImage', () => ({}));
    fakeIpc.answer('p2v.probeImage', ({ path }) => ({
      path,
      fileSize: 3 * gib,
      formatByName: 'raw',
      formatByHeader: 'qcow2',
      warnings: [{ key: 'p2v.warning.headerMismatch', params: { byName: 'raw', byHeader: 'qcow2' } }],
    }));
    serveCluster(fakeIpc);
    await mountInApp(P2vView);
    expect(exists('p2v-image-path')).toBe(false);
    await click('p2v-pick-image');
    await type('p2v-image-path', '/images/disk.img');
    await click('p2v-read-image');

    expect(fakeIpc.callsOf('p2v.probeImage')).toEqual([{ path: '/images/disk.img' }]);
    expect(byTestId('p2v-image-warning').textContent).toContain('The file name says raw, but its first bytes look like qcow2');
    expect(byTestId('p2v-image-format').textContent).toContain('Raw disk image');
    expect(byTestId('p2v-format-by-header').textContent).toContain('QEMU image (qcow2)');
  });

  it('shows a hostile file name as plain text, cut with an ellipsis', async () => {
    fakeIpc.answer('p2v.pickImage', () => ({ path: '/images/a.img' }));
    fakeIpc.answer('p2v.probeImage', () => ({ path: `/images/${hostile}`, fileSize: 1, warnings: [{ key: 'p2v.unknown.key', params: { what: hostile } }] }));
    serveCluster(fakeIpc);
    await mountInApp(P2vView);
    await click('p2v-pick-image');
    const shown = byTestId('p2v-image-file');
    expect(shown.querySelector('img')).toBeNull();
    expect(shown.textContent?.length).toBeLessThan(200);
    expect(shown.textContent).toContain('…');
    expect(shown.textContent).not.toContain('\u0007');
    // A notice this version cannot word says so and shows its (made safe) figures, not a raw key.
    expect(byTestId('p2v-image-warning').textContent).toContain('A notice this version of the app cannot word');
    expect(document.querySelector('img[src=x]')).toBeNull();
  });

  it('says what is missing when Next is pressed too early', async () => {
    serveCluster(fakeIpc);
    await mountInApp(P2vView);
    await click('p2v-next');
    expect(byTestId('p2v-missing').textContent).toContain('Choose a source');
    expect(useWizardStore().step).toBe('source');
  });

  it('inspects on the chosen node, refuses an image with a backing file and explains it', async () => {
    serveCluster(fakeIpc);
    fakeIpc.answer('p2v.inspect', () => inspection({ format: 'qcow2', backingFile: '/var/lib/base.qcow2' }));
    await openWorkstationImage('/images/web.qcow2');
    await click('p2v-next');
    expect(useWizardStore().step).toBe('inspect');
    await flushPromises();
    expect(fakeIpc.callsOf('p2v.inspect')).toEqual([
      { source: { kind: 'workstation', path: '/images/web.qcow2', format: 'raw' }, profileId: labProfileId, node: 'pve1' },
    ]);
    expect(byTestId('p2v-backing-refused').textContent).toContain('/var/lib/base.qcow2');
    await click('p2v-next');
    expect(useWizardStore().step).toBe('inspect');
    expect(exists('p2v-missing')).toBe(true);
  });

  it('walks to the summary with the presets and the space check, starts, and follows the migration’s events', async () => {
    serveCluster(fakeIpc);
    fakeIpc.answer('p2v.inspect', () => inspection({ warnings: [{ key: 'p2v.inspect.noPartitionTable' }] }));
    fakeIpc.answer('p2v.start', (asked) => jobView({ plan: { ...plan, target: asked.target } }));
    await openWorkstationImage();
    await click('p2v-next');
    await flushPromises();
    expect(byTestId('p2v-inspect-firmware').textContent).toContain('UEFI');
    expect(byTestId('p2v-inspect-warning').textContent).toContain('No partition table at the start of the disk');
    await click('p2v-next');
    await flushPromises();
    expect(useWizardStore().step).toBe('target');

    // The block storage has 4 GiB free for an 8 GiB raw disk: not offered; the file storage (2 GiB as qcow2) is chosen.
    const storages = await options('p2v-storage');
    expect(storages.find((option) => option.textContent?.includes('local-lvm'))?.className).toContain('disabled');
    document.body.click();
    expect(byTestId('p2v-storage').textContent).toContain('local');
    expect(byTestId('p2v-firmware').textContent).toContain('UEFI');
    await choose('p2v-preset', 'Large');
    expect((byTestId('p2v-cores').querySelector('input') as HTMLInputElement).value).toBe('8');
    expect(problemAt('p2v-storage')).toBe('');

    await click('p2v-next');
    expect(useWizardStore().step).toBe('summary');
    expect(byTestId('p2v-nothing-written').textContent).toContain('Nothing has been written yet');
    expect(byTestId('p2v-summary-vm').textContent).toContain('web (101)');
    expect(fakeIpc.callsOf('p2v.start')).toEqual([]);

    await click('p2v-next');
    const started = fakeIpc.callsOf('p2v.start');
    expect(started).toHaveLength(1);
    expect(started[0]?.target).toMatchObject({ storage: 'local', format: 'qcow2', vmid: 101, name: 'web', firmware: 'ovmf', cores: 8, memoryMiB: 16384 });
    expect(useWizardStore().step).toBe('progress');
    expect(byTestId('p2v-job-step-transfer').getAttribute('data-state')).toBe('running');
    expect(byTestId('p2v-job-step-transfer').querySelector('[role=img]')?.getAttribute('aria-label')).toBe('Running');

    fakeIpc.emit(
      'p2v.changed',
      jobView({
        state: 'succeeded',
        plan: { ...plan, target: started[0]?.target ?? plan.target },
        steps: jobView().steps.map((step) => ({ ...step, state: 'done' })),
      }),
    );
    await flushPromises();
    expect(byTestId('p2v-progress-state').textContent).toBe('Done');
    expect(exists('p2v-back')).toBe(false);
  });

  it('cancels only after the confirmation, and says what failed and what was cleaned', async () => {
    serveCluster(fakeIpc);
    fakeIpc.answer('p2v.cancel', () =>
      jobView({ state: 'cancelled', error: 'The copy was stopped.', cleaned: [{ kind: 'node-file', ref: '/var/tmp/p2v-x', node: 'pve1' }] }),
    );
    await mountInApp(P2vView);
    useWizardStore().show(jobView().id, false);
    fakeIpc.emit('p2v.changed', jobView());
    await flushPromises();
    await click('p2v-cancel');
    expect(fakeIpc.callsOf('p2v.cancel')).toEqual([]);
    await click('p2v-cancel-confirm');
    expect(fakeIpc.callsOf('p2v.cancel')).toEqual([{ id: jobView().id }]);
    const failure = byTestId('p2v-failure').textContent ?? '';
    expect(failure).toContain('The copy was stopped.');
    expect(failure).toContain('/var/tmp/p2v-x');
  });

  it('connects to a server by SSH, clears the password once the keychain has it, and offers the LVM snapshot', async () => {
    serveCluster(fakeIpc);
    fakeIpc.answer('p2v.probeSsh', () => ({
      credentialId: 'c'.repeat(32),
      facts: {
        hostname: 'old-web',
        os: 'Debian GNU/Linux 12',
        cpus: 6,
        memoryBytes: 12 * gib,
        disks: [{ device: '/dev/mapper/vg0-root', sizeBytes: 20 * gib, mounted: ['/'] }],
        nics: [{ name: 'eth0', mac: '52:54:00:12:34:56' }],
        lvm: [{ volumeGroup: 'vg0', logicalVolume: 'root', sizeBytes: 20 * gib, groupFreeBytes: 5 * gib, device: '/dev/mapper/vg0-root' }],
        checklist: [
          { id: 'fstab-stable-names', status: 'ok', summary: { key: 'p2v.unknown' }, details: [] },
          {
            id: 'vendor-agents',
            status: 'warning',
            summary: { key: 'p2v.unknown' },
            details: [{ key: 'p2v.checklist.details.agent', params: { name: 'hp-health', vendor: 'HPE agents' } }],
          },
        ],
      },
    }));
    await mountInApp(P2vView);
    await click('p2v-source-ssh');
    await type('p2v-ssh-host', '127.0.0.1');
    await type('p2v-ssh-password', 'secret');
    await click('p2v-ssh-connect');

    expect(fakeIpc.callsOf('p2v.probeSsh')).toEqual([
      { address: { host: '127.0.0.1', port: 22, username: 'root' }, auth: { method: 'password', password: 'secret' } },
    ]);
    expect(useWizardStore().draft.ssh.password).toBe('');
    expect(byTestId('p2v-ssh-consistency').textContent).toContain('crash-consistent');
    expect(byTestId('p2v-check-fstab-stable-names').querySelector('[role=img]')?.getAttribute('aria-label')).toBe('OK');
    expect(byTestId('p2v-check-vendor-agents').querySelector('[role=img]')?.getAttribute('aria-label')).toBe('Warning');
    byTestId('p2v-ssh-snapshot').click();
    await flushPromises();
    await click('p2v-next');
    expect(useWizardStore().step).toBe('inspect');
    expect(fakeIpc.callsOf('p2v.inspect')[0]?.source).toMatchObject({
      kind: 'ssh',
      device: '/dev/mapper/vg0-root',
      lvmSnapshot: { volumeGroup: 'vg0', logicalVolume: 'root', sizeBytes: 2 * gib },
      route: 'auto',
    });
  });

  it('says a failed probe in the user’s words', async () => {
    serveCluster(fakeIpc);
    fakeIpc.answer('p2v.pickImage', () => ({}));
    fakeIpc.answer('p2v.probeImage', () => {
      throw new IpcError('BAD_FILE', 'not a regular file');
    });
    await mountInApp(P2vView);
    await click('p2v-pick-image');
    await type('p2v-image-path', '/dev');
    await click('p2v-read-image');
    expect(byTestId('dialog-error').textContent).toContain('This file cannot be used. (not a regular file)');
  });

  it('writes the report in the user’s language, renders it inertly and saves it as Markdown', async () => {
    serveCluster(fakeIpc);
    await mountInApp(P2vView);
    const digest = 'ab'.repeat(32);
    const done = jobView().steps.map((step) => ({ ...step, state: 'done' as const, startedAt: '2026-01-01T10:00:00Z', endedAt: '2026-01-01T10:00:04Z' }));
    fakeIpc.emit(
      'p2v.changed',
      jobView({
        state: 'succeeded',
        steps: done,
        transfer: { segments: 1, segmentsDone: 1, allocatedBytes: 300 * 1024 ** 2, wireBytes: 310 * 1024 ** 2 },
        report: {
          startedAt: '2026-01-01T10:00:00Z',
          endedAt: '2026-01-01T10:00:40Z',
          source: 'web.img',
          vm: { profileId: labProfileId, node: 'pve1', vmid: 101, name: 'web' },
          steps: [],
          verification: { method: 'sha256-blocks', source: digest, target: digest },
          wireBytes: 310 * 1024 ** 2,
          warnings: ['<img src=x onerror=alert(1)> check | the NIC'],
        },
      }),
    );
    useWizardStore().show(jobView().id, true);
    await flushPromises();
    const body = byTestId('p2v-report-body');
    expect(body.querySelector('h1')?.textContent).toBe('P2V migration of /images/web.img');
    expect(body.querySelectorAll('table tbody tr')).toHaveLength(done.length);
    expect(body.textContent).toContain(`source: ${digest}`);
    expect(body.textContent).toContain('<img src=x onerror=alert(1)> check | the NIC');
    expect(body.querySelector('img, script')).toBeNull();

    const locale = i18n.global.locale;
    locale.value = 'fr';
    try {
      await flushPromises();
      expect(body.querySelector('h1')?.textContent).toBe('Migration P2V de /images/web.img');
      expect(body.textContent).toContain('Vérification');
      expect(body.textContent).toContain(`cible : ${digest}`);
      expect(body.querySelector('tbody tr td')?.textContent).toBe('Inspecter la source');
    } finally {
      locale.value = 'en';
    }

    const downloads: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    };
    try {
      await click('p2v-save-report');
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(downloads).toEqual(['p2v-101-web-2026-01-01.md']);
  });
});
