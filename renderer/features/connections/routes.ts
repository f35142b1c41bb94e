import type { RouteRecordRaw } from 'vue-router';
import ConnectionsView from './ConnectionsView.vue';

export const connectionsRoutes: RouteRecordRaw[] = [{ path: '/connections', name: 'connections', component: ConnectionsView, meta: { layout: 'shell' } }];
