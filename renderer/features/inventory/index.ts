export { default as InventoryView } from './InventoryView.vue';
export { inventoryRoutes } from './routes';
export { useInventoryPaletteCommands } from './palette-commands';
export { default as PowerActionsHost } from './PowerActionsHost.vue';
export { usePowerActions, type PowerChoice } from './use-power-actions';
export { default as ResourceTree } from './ResourceTree.vue';
export { default as GuestList } from './GuestList.vue';
export { default as GuestPageHeader } from './GuestPageHeader.vue';
export {
  contributeClusterActions,
  contributeGuestActions,
  contributeNodeActions,
  type ClusterAction,
  type GuestAction,
  type NodeAction,
  type NodeRef,
} from './guest-actions';
export { useInventoryStore, type InventoryEntry } from './inventory-store';
export { useInventoryReady } from './use-inventory-ready';
export { default as FeedBanner } from './FeedBanner.vue';
export { default as SummaryError } from './SummaryError.vue';
export { default as StateLabel } from './StateLabel.vue';
export { guestLabel, shownText } from './guest-label';
export { formatBytes, formatNumber, formatPercent, formatUptime } from './format';
export { useUsageBars } from './use-usage-bars';
export { usePolledSummary } from './use-polled-summary';
export { default as UsageBar } from './UsageBar.vue';
export { itemState, isHaManaged } from './item-state';
export { renderNotes } from './notes-markdown';
