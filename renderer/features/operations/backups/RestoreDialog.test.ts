import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import type { JobView } from '../../../../shared/domain/jobs';
import type { InventoryItem } from '../../../../shared/domain/inventory';
import type { BackupView } from '../../../../shared/domain/operations';
import { byTestId, click, exists, fakeIpc, mountInApp, type } from '../../../testing';
import { useInventoryStore } from '../../inventory';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../../inventory/testing';
import RestoreDialog from './RestoreDialog.vue';

const backup: BackupView = {
  volid: 'local:backup/vzdump-qemu-100-2026_12_02-10_30_00.vma.zst',
  content: 'backup',
  format: 'vma.zst',
  size: 1_000_000,
  vmid: 100,
  ctime: 1_780_000_000,
  storage: 'local',
};

async function openRestore(items: InventoryItem[], target: 'same' | 'new') {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [nodeItem('pve1'), ...items] }]);
  fakeIpc.answer('operations.nextVmid', () => 130);
  fakeIpc.answer('operations.storages', () => [{ storage: 'local', type: 'dir', content: ['images'], shared: false, active: true }]);
  fakeIpc.answer('operations.restore', () => ({ id: 'pve:x:UPID' }) as unknown as JobView);
  // The dialog reads the inventory store of its own app: start it there, then show the dialog.
  const Host = defineComponent(() => {
    const ready = ref(false);
    void useInventoryStore()
      .start()
      .then(() => (ready.value = true));
    return () => (ready.value ? h(RestoreDialog, { profileId: labProfileId, node: 'pve1', backup, target }) : null);
  });
  await mountInApp(Host);
  await flushPromises();
}

const submitDisabled = () => (byTestId('dialog-submit') as HTMLButtonElement).disabled;

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('RestoreDialog', { timeout: 20_000 }, () => {
  it('says in words that restoring over the guest overwrites it and its disks, and waits for a yes (force)', async () => {
    await openRestore([guestItem(100, { name: 'web', status: 'stopped' })], 'same');
    const warning = byTestId('restore-overwrite-warning');
    expect(warning.textContent).toContain('This overwrites guest 100 and all its disks');
    expect(warning.textContent).toContain('every disk of web (100) are replaced');
    expect(submitDisabled()).toBe(true);
    byTestId('field-force').click();
    await flushPromises();
    expect(submitDisabled()).toBe(false);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.restore')).toEqual([
      { profileId: labProfileId, node: 'pve1', archive: backup.volid, vmid: 100, force: true, unique: false, start: false },
    ]);
  });

  it('refuses to overwrite a running guest: it must be stopped first', async () => {
    await openRestore([guestItem(100, { name: 'web', status: 'running' })], 'same');
    expect(byTestId('restore-guest-running').textContent).toContain('stop it before restoring over it');
    byTestId('field-force').click();
    await flushPromises();
    expect(submitDisabled()).toBe(true);
  });

  it('restores to a free VMID from the cluster with new MAC addresses, without force', async () => {
    await openRestore([guestItem(100, { name: 'web', status: 'running' })], 'new');
    expect(exists('restore-overwrite-warning')).toBe(false);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.restore')).toEqual([
      { profileId: labProfileId, node: 'pve1', archive: backup.volid, vmid: 130, force: false, unique: true, start: false },
    ]);
  });

  it('warns again when the VMID typed for a new guest names an existing one', async () => {
    await openRestore([guestItem(100, { name: 'web', status: 'stopped' })], 'new');
    await type('field-vmid', '100');
    byTestId('field-vmid').querySelector('input')?.dispatchEvent(new Event('blur'));
    await flushPromises();
    expect(exists('restore-overwrite-warning')).toBe(true);
    expect(submitDisabled()).toBe(true);
  });
});
