import type { RouteRecordRaw } from 'vue-router';
import BalanceOverview from './BalanceOverview.vue';
import ClusterView from './ClusterView.vue';
import GuestView from './GuestView.vue';
import InventoryView from './InventoryView.vue';
import NodeView from './NodeView.vue';
import PoolView from './PoolView.vue';

export const inventoryRoutes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inventory' },
  { path: '/inventory', name: 'inventory', component: InventoryView, meta: { layout: 'shell' } },
  // Static before dynamic: vue-router ranks `/inventory/balance` above `/inventory/:profileId` whatever the order, this reads the same way.
  { path: '/inventory/balance', name: 'inventory-balance', component: BalanceOverview, meta: { layout: 'shell' } },
  { path: '/inventory/:profileId', name: 'inventory-cluster', component: ClusterView, props: true, meta: { layout: 'shell' } },
  { path: '/inventory/:profileId/node/:node', name: 'inventory-node', component: NodeView, props: true, meta: { layout: 'shell' } },
  // A storage opens its node's summary with the storage's row picked out.
  { path: '/inventory/:profileId/storage/:node/:storage', name: 'inventory-storage', component: NodeView, props: true, meta: { layout: 'shell' } },
  { path: '/inventory/:profileId/pool/:pool', name: 'inventory-pool', component: PoolView, props: true, meta: { layout: 'shell' } },
  { path: '/inventory/:profileId/guest/:vmid', name: 'inventory-guest', component: GuestView, props: true, meta: { layout: 'shell' } },
];
