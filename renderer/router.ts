import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router } from 'vue-router';
import { connectionsRoutes } from './features/connections';
import { consolesRoutes } from './features/consoles';
import { inventoryRoutes } from './features/inventory';
import { operationsRoutes } from './features/operations';
import { p2vRoutes } from './features/p2v';
import { settingsRoutes } from './features/settings';

declare module 'vue-router' {
  interface RouteMeta {
    /**
     * What frames the page: the three-pane shell (tree, view, task log), or nothing but the view,
     * for windows of their own (a detached console, the end-user mode). The shell when not said.
     */
    layout?: 'shell' | 'bare';
  }
}

/** Every feature's routes: adding a feature adds one line here. */
export const routes: RouteRecordRaw[] = [...inventoryRoutes, ...operationsRoutes, ...consolesRoutes, ...p2vRoutes, ...connectionsRoutes, ...settingsRoutes];

/**
 * Hash history: the page is served from app:// in Electron and from a single loopback URL by the web host.
 * Created only once the IPC client has read the launch token from the fragment: the hash history
 * rewrites the fragment as it starts (#token=… becomes #/token=…).
 */
export function createAppRouter(): Router {
  return createRouter({ history: createWebHashHistory(), routes });
}
