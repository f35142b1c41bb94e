import type { MethodHandlers } from '../ipc';
import type { InventoryService } from './inventory-service';

export type InventoryHandlers = Pick<
  MethodHandlers,
  | 'inventory.feeds'
  | 'inventory.items'
  | 'inventory.activity'
  | 'inventory.guestSummary'
  | 'inventory.nodeSummary'
  | 'inventory.clusterSummary'
  | 'inventory.poolSummary'
  | 'inventory.power'
>;

export function inventoryHandlers(inventory: InventoryService): InventoryHandlers {
  return {
    'inventory.feeds': () => inventory.list(),
    'inventory.items': ({ profileId, offset, limit, revision }) => inventory.items(profileId, offset, limit, revision),
    'inventory.activity': ({ visible, idle }) => inventory.setActivity(visible, idle),
    'inventory.guestSummary': (guest) => inventory.guestSummary(guest),
    'inventory.nodeSummary': ({ profileId, node }) => inventory.nodeSummary(profileId, node),
    'inventory.clusterSummary': ({ profileId }) => inventory.clusterSummary(profileId),
    'inventory.poolSummary': ({ profileId, pool }) => inventory.poolSummary(profileId, pool),
    'inventory.power': ({ action, targets, timeout }) => inventory.power({ action, targets, ...(timeout !== undefined ? { timeout } : {}) }),
  };
}
