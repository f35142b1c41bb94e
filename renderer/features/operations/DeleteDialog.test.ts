import { beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../shared/domain/jobs';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { byTestId, click, exists, fakeIpc, settle, type } from '../../testing';
import { guestItem, labProfileId } from '../inventory/testing';
import { openGuestDialog } from './testing';

async function openDelete(item: InventoryItem) {
  fakeIpc.answer('operations.destroy', () => ({ id: 'pve:x:UPID' }) as unknown as JobView);
  await openGuestDialog('delete', item);
}

const submit = () => byTestId('dialog-submit') as HTMLButtonElement;

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('DeleteDialog', { timeout: 20_000 }, () => {
  it('says to stop a running guest first and keeps the delete disabled', async () => {
    await openDelete(guestItem(100, { status: 'running' }));
    expect(byTestId('delete-not-stopped').textContent).toContain('shut it down or stop it first');
    expect(submit().disabled).toBe(true);
    expect(exists('field-confirm-name')).toBe(false);
  });

  it('keeps the button disabled until the name is typed exactly, then destroys with purge', async () => {
    await openDelete(guestItem(100, { status: 'stopped', name: 'web-01' }));
    expect(byTestId('delete-dialog').textContent).toContain('Type web-01 to confirm');
    expect(submit().disabled).toBe(true);
    await type('field-confirm-name', 'web-0');
    expect(submit().disabled).toBe(true);
    await type('field-confirm-name', 'WEB-01');
    expect(submit().disabled).toBe(true);
    await type('field-confirm-name', 'web-01 ');
    expect(submit().disabled).toBe(true);
    await type('field-confirm-name', 'web-01');
    expect(submit().disabled).toBe(false);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.destroy')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100, purge: true, destroyUnreferencedDisks: false }]);
    await settle();
    expect(exists('delete-dialog')).toBe(false);
  });

  it('asks for the VMID of a guest without a name', async () => {
    await openDelete(guestItem(104, { status: 'stopped', name: undefined }));
    expect(byTestId('delete-dialog').textContent).toContain('Type 104 to confirm');
    await type('field-confirm-name', '104');
    expect(submit().disabled).toBe(false);
  });
});
