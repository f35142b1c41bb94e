export { default as InventoryView } from './InventoryView.vue';
export { inventoryRoutes } from './routes';
export { useInventoryPaletteCommands } from './palette-commands';
