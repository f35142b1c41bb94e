import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import type { JobView } from '../../../../shared/domain/jobs';
import type { GuestSummary, InventoryItem } from '../../../../shared/domain/inventory';
import type { SnapshotView } from '../../../../shared/domain/operations';
import { byTestId, click, exists, fakeIpc, mountInApp } from '../../../testing';
import { useInventoryStore } from '../../inventory';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../../inventory/testing';
import RollbackDialog from './RollbackDialog.vue';

const snapshot: SnapshotView = { name: 'before_update', snaptime: 1_780_000_000, vmstate: false, description: 'before the schema update' };

async function openRollback(item: InventoryItem, notes?: string) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [nodeItem('pve1'), item] }]);
  fakeIpc.answer('inventory.guestSummary', () => ({ tags: item.tags ?? [], description: notes }) as unknown as GuestSummary);
  fakeIpc.answer('operations.rollbackSnapshot', () => ({ id: 'pve:x:UPID' }) as unknown as JobView);
  // The store is Pinia's: mount first, then fill it, then open the dialog on its entry.
  const host = await mountInApp(defineComponent(() => () => null));
  const inventory = useInventoryStore();
  await inventory.start();
  const entry = inventory.entry(labProfileId, item.id);
  if (entry === undefined) throw new Error('no entry');
  host.unmount();
  await mountInApp(RollbackDialog, { entry, snapshot });
  await flushPromises();
}

function submitButton(): HTMLButtonElement {
  return byTestId('dialog-submit') as HTMLButtonElement;
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('RollbackDialog', { timeout: 20_000 }, () => {
  it('warns that a domain controller breaks and keeps the rollback disabled until the risk is acknowledged', async () => {
    await openRollback(guestItem(110, { name: 'dc01', status: 'stopped' }));
    const warning = byTestId('rollback-warning');
    expect(warning.dataset.kind).toBe('domain-controller');
    expect(warning.textContent).toContain('USN rollback');
    expect(warning.textContent).toContain('Everything written on the disks of dc01 (110) since before_update');
    expect(byTestId('rollback-ram').textContent).toContain('will be stopped');
    expect(submitButton().disabled).toBe(true);

    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.rollbackSnapshot')).toEqual([]);

    byTestId('field-acknowledge').click();
    await flushPromises();
    expect(submitButton().disabled).toBe(false);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.rollbackSnapshot')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 110, name: 'before_update', start: false }]);
  });

  it('reads the notes: a database server found only there is gated too', async () => {
    await openRollback(guestItem(120, { name: 'app01', status: 'stopped' }), '# App\nRuns the **MariaDB** primary for the intranet.');
    expect(byTestId('rollback-warning').dataset.kind).toBe('database');
    expect(byTestId('rollback-evidence').textContent).toContain('MariaDB');
    expect(submitButton().disabled).toBe(true);
  });

  it('always says what is lost, without a gate, for an ordinary guest', async () => {
    await openRollback(guestItem(116, { name: 'web01', status: 'running' }), 'Front web server');
    expect(byTestId('rollback-warning').dataset.kind).toBe('general');
    expect(byTestId('rollback-warning').textContent).toContain('is lost');
    expect(exists('field-acknowledge')).toBe(false);
    expect(submitButton().disabled).toBe(false);
  });
});
