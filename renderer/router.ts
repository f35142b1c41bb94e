import { createRouter, createWebHashHistory } from 'vue-router';
import { ConnectionsView } from './features/connections';
import { InventoryView } from './features/inventory';
import { SettingsView } from './features/settings';

/** Hash history: the page is served from app:// in Electron and from a single loopback URL by the web host. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/inventory' },
    { path: '/inventory', name: 'inventory', component: InventoryView },
    { path: '/connections', name: 'connections', component: ConnectionsView },
    { path: '/settings', name: 'settings', component: SettingsView },
  ],
});
