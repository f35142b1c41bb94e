import type { RouteRecordRaw } from 'vue-router';
import GuestGraphsView from './graphs/GuestGraphsView.vue';
import NodeGraphsView from './graphs/NodeGraphsView.vue';

/** The operations pages: a guest's tabs beyond its summary, a node's graphs, a storage's backups, the cluster's backup jobs. */
export const operationsRoutes: RouteRecordRaw[] = [
  { path: '/operations/:profileId/guest/:vmid/graphs', name: 'operations-guest-graphs', component: GuestGraphsView, props: true, meta: { layout: 'shell' } },
  { path: '/operations/:profileId/node/:node/graphs', name: 'operations-node-graphs', component: NodeGraphsView, props: true, meta: { layout: 'shell' } },
];
