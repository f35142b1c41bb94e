export { default as InventoryView } from './InventoryView.vue';
export { inventoryRoutes } from './routes';
export { useInventoryPaletteCommands } from './palette-commands';
export { default as PowerActionsHost } from './PowerActionsHost.vue';
export { usePowerActions, type PowerChoice } from './use-power-actions';
export { default as ResourceTree } from './ResourceTree.vue';
export { default as GuestList } from './GuestList.vue';
