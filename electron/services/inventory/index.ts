/** The public surface of the inventory: its service for the hosts, its handlers for the router. */
export { InventoryService, defaultPollRates, type InventoryServiceOptions, type PollRates } from './inventory-service';
export { inventoryHandlers, type InventoryHandlers } from './handlers';
export type { InventorySessions, InventoryClient } from './inventory-sessions';
export { mapLimited } from './limited-concurrency';
