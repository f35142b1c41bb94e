import { flushPromises } from '@vue/test-utils';
import type { InventoryItem } from '../../../../shared/domain/inventory';
import { fakeIpc, mountInApp } from '../../../testing';
import { useInventoryStore } from '../../inventory';
import { clusterFeed, labProfileId, nodeItem, serveInventory } from '../../inventory/testing';
import { useOperationsDialogs, type GuestDialogKind } from '../operations-dialogs';
import OperationsHost from '../OperationsHost.vue';

/** Mounts the host of the operations dialogs over a cluster of `nodes` and `item`, and opens the `kind` dialog on that guest. */
export async function openGuestDialog(kind: GuestDialogKind, item: InventoryItem, nodes: string[] = ['pve1']): Promise<void> {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [...nodes.map((node) => nodeItem(node)), item] }]);
  await mountInApp(OperationsHost);
  const inventory = useInventoryStore();
  await inventory.start();
  const entry = inventory.entry(labProfileId, item.id);
  if (entry === undefined) throw new Error(`no inventory entry ${item.id}`);
  useOperationsDialogs().open({ kind, entry });
  await flushPromises();
}
