import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MigrationCheck } from '../../../../shared/domain/operations';
import { byTestId, click, exists, fakeIpc, mountInApp } from '../../../testing';
import { guestItem, labProfileId, layOutVirtualLists } from '../../inventory/testing';
import { jobView, serveJobs } from '../../tasks/testing/jobs-host';
import MigrateDialog from './MigrateDialog.vue';

const GiB = 1024 ** 3;

function check(overrides: Partial<MigrationCheck> = {}): MigrationCheck {
  return {
    running: true,
    targets: [
      { node: 'pve2', online: true, allowed: true, reasons: [], freeMemory: 6 * GiB },
      { node: 'pve3', online: true, allowed: false, reasons: ['local-lvm'], freeMemory: 12 * GiB },
    ],
    localDisks: [],
    localResources: [],
    ...overrides,
  };
}

beforeEach(() => {
  fakeIpc.reset();
  serveJobs(fakeIpc);
  fakeIpc.answer('operations.storages', () => [
    { storage: 'shared', type: 'dir', content: ['images'], shared: true, active: true, avail: 50 * GiB },
    { storage: 'local', type: 'dir', content: ['images'], shared: false, active: true, avail: 20 * GiB },
  ]);
});

async function open(answer: MigrationCheck) {
  fakeIpc.answer('operations.migrationCheck', () => answer);
  const wrapper = await mountInApp(MigrateDialog, {
    entry: { key: `${labProfileId}/qemu/100`, profileId: labProfileId, item: guestItem(100, { name: 'web01' }) },
  });
  await flushPromises();
  return wrapper;
}

/** Opens the NSelect with this test id and reads its options. */
async function options(testId: string): Promise<HTMLElement[]> {
  byTestId(testId).querySelector<HTMLElement>('.n-base-selection')?.click();
  await flushPromises();
  await layOutVirtualLists(600);
  return [...document.querySelectorAll<HTMLElement>('.n-base-select-option')];
}

function submitButton(): HTMLButtonElement {
  return byTestId('dialog-submit') as HTMLButtonElement;
}

describe('migrate dialog', () => {
  it('checks first, says a running guest migrates live, and offers the allowed node with its free memory', async () => {
    await open(check());
    expect(fakeIpc.callsOf('operations.migrationCheck')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100 }]);
    expect(byTestId('migration-check').dataset.mode).toBe('online');
    expect(byTestId('migration-mode').textContent).toContain('Live migration');
    expect(byTestId('field-target').textContent).toContain('pve2 — 6\u00a0GiB memory free');
    expect(submitButton().disabled).toBe(false);
  });

  it('keeps a refused node out of reach and says why, even with more free memory', async () => {
    await open(check());
    // pve3 has more memory but lacks a storage: pve2 is the one suggested.
    expect(byTestId('field-target').textContent).toContain('pve2');
    const refused = byTestId('migration-refused');
    expect(refused.querySelector('[data-node="pve3"]')?.textContent).toContain('pve3: missing there: local-lvm');
    const offered = await options('field-target');
    const pve3 = offered.find((option) => option.textContent?.includes('pve3'));
    expect(pve3?.textContent).toContain('not possible: local-lvm');
    expect(pve3?.classList.contains('n-base-select-option--disabled')).toBe(true);
    expect(offered.find((option) => option.textContent?.includes('pve2'))?.classList.contains('n-base-select-option--disabled')).toBe(false);
  });

  it('wants “with local disks” ticked before a live migration of a guest with local disks, and sends it with the target storage chosen', async () => {
    await open(check({ localDisks: [{ volid: 'local:100/vm-100-disk-0.qcow2', drive: 'scsi0', size: 8 * GiB, cdrom: false }] }));
    expect(byTestId('migration-local-disks').textContent).toContain('scsi0: local:100/vm-100-disk-0.qcow2 (8\u00a0GiB)');
    expect(submitButton().disabled).toBe(true);
    expect(byTestId('migration-refusal').dataset.reason).toBe('needsLocalDisks');
    expect(fakeIpc.callsOf('operations.storages')).toEqual([{ profileId: labProfileId, node: 'pve2', content: 'images' }]);

    await click('field-with-local-disks');
    const storages = await options('field-storage');
    expect(storages.map((option) => option.textContent)).toEqual([
      'The storage of the same name on the target',
      'shared — 50\u00a0GiB free',
      'local — 20\u00a0GiB free',
    ]);
    storages[1]?.click();
    await flushPromises();
    expect(exists('migration-refusal')).toBe(false);
    expect(submitButton().disabled).toBe(false);

    const job = jobView({ kind: 'pve:qmigrate' });
    fakeIpc.answer('operations.migrate', () => job);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.migrate')).toEqual([
      { profileId: labProfileId, node: 'pve1', vmid: 100, target: 'pve2', online: true, withLocalDisks: true, targetStorage: 'shared' },
    ]);
    expect(byTestId('migration-progress').dataset.state).toBe('running');
  });

  it('copies a stopped guest’s local disks without asking, offline', async () => {
    await open(check({ running: false, localDisks: [{ volid: 'local:100/vm-100-disk-0.qcow2', drive: 'scsi0', cdrom: false }] }));
    expect(byTestId('migration-check').dataset.mode).toBe('offline');
    expect(exists('field-with-local-disks')).toBe(false);
    expect(submitButton().disabled).toBe(false);
  });

  it('disables the migration with the reason when a local resource pins the guest', async () => {
    await open(check({ localResources: ['hostpci0', 'clipboard=vnc'], localDisks: [{ volid: 'local:iso/tools.iso', drive: 'ide2', cdrom: true }] }));
    const reasons = [...byTestId('migration-blockers').querySelectorAll('li')].map((line) => line.dataset.kind);
    expect(reasons).toEqual(['pci', 'vncClipboard', 'cdrom']);
    expect(byTestId('migration-blockers').textContent).toContain('QEMU 10.1');
    expect(submitButton().disabled).toBe(true);
    expect(byTestId('migration-refusal').textContent).toBe('The migration cannot start: see why above.');
    // A CD image is not a disk to copy.
    expect(exists('migration-local-disks')).toBe(false);
  });

  it('follows the job and shows its outcome once PVE has reported it', async () => {
    await open(check());
    const job = jobView({ kind: 'pve:qmigrate' });
    fakeIpc.answer('operations.migrate', () => job);
    await click('dialog-submit');
    expect(exists('migration-outcome')).toBe(false);
    fakeIpc.emit('jobs.changed', {
      upserted: [
        { ...job, state: 'succeeded', endedAt: '2026-01-01T10:00:20Z', outcome: { key: 'tasks.outcome.migration', params: { duration: 20, downtime: 45 } } },
      ],
      removed: [],
    });
    await flushPromises();
    expect(byTestId('migration-progress').dataset.state).toBe('succeeded');
    expect(byTestId('migration-outcome').textContent).toBe('Migrated in 20\u00a0s, with 45\u00a0ms of downtime');
  });
});
