import type { RouteRecordRaw } from 'vue-router';
import P2vView from './P2vView.vue';

/** `/p2v`: the wizard that moves a physical server, or a disk image of one, into a VM, with the past migrations. */
export const p2vRoutes: RouteRecordRaw[] = [{ path: '/p2v', name: 'p2v', component: P2vView, meta: { layout: 'shell' } }];
