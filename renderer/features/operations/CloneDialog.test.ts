import { beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../shared/domain/jobs';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { byTestId, click, exists, fakeIpc, type } from '../../testing';
import { guestItem, labProfileId } from '../inventory/testing';
import { openGuestDialog } from './testing';

async function openClone(item: InventoryItem) {
  fakeIpc.answer('operations.nextVmid', () => 120);
  fakeIpc.answer('operations.storages', () => [{ storage: 'local-lvm', type: 'lvmthin', content: ['images'], shared: false, active: true }]);
  fakeIpc.answer('operations.clone', () => ({ id: 'pve:x:UPID' }) as unknown as JobView);
  await openGuestDialog('clone', item, ['pve1', 'pve2']);
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('CloneDialog', { timeout: 20_000 }, () => {
  it('deploys a template as a linked clone by default, with the next free VMID, explaining what linked means', async () => {
    await openClone(guestItem(9000, { status: 'stopped', template: true, name: 'debian-tpl' }));
    expect(byTestId('clone-dialog').textContent).toContain('Deploy template debian-tpl (9000)');
    expect(byTestId('clone-dialog').textContent).toContain('needs the template for as long as it exists');
    expect(exists('field-storage')).toBe(false);
    await type('field-name', 'pxe-01');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.clone')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 9000, newid: 120, name: 'pxe-01', full: false }]);
  });

  it('copies a guest in full only, and offers the target storage', async () => {
    await openClone(guestItem(100, { status: 'stopped', name: 'web' }));
    expect(exists('field-mode')).toBe(false);
    expect(byTestId('clone-dialog').textContent).toContain('Only a template can have linked clones');
    expect(exists('field-storage')).toBe(true);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.clone')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100, newid: 120, name: 'web-clone', full: true }]);
  });
});
