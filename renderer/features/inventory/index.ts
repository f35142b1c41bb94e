export { default as InventoryView } from './InventoryView.vue';
