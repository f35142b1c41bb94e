import type { RouteRecordRaw } from 'vue-router';
import ConsolesView from './ConsolesView.vue';
import DetachedConsoleView from './DetachedConsoleView.vue';

/**
 * `/consoles` shows the open consoles as tabs in the shell; `/console/:profileId/:kind/:node/:vmid?` is one console
 * alone in a window of its own (the bare layout; shells add `?via=termproxy|ssh`).
 */
export const consolesRoutes: RouteRecordRaw[] = [
  { path: '/consoles', name: 'consoles', component: ConsolesView, meta: { layout: 'shell' } },
  { path: '/console/:profileId/:kind/:node/:vmid?', name: 'console-detached', component: DetachedConsoleView, meta: { layout: 'bare' } },
];
