import type { RouteRecordRaw } from 'vue-router';
import InventoryView from './InventoryView.vue';

export const inventoryRoutes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inventory' },
  { path: '/inventory', name: 'inventory', component: InventoryView, meta: { layout: 'shell' } },
];
