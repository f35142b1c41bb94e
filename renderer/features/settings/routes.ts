import type { RouteRecordRaw } from 'vue-router';
import SettingsView from './SettingsView.vue';

export const settingsRoutes: RouteRecordRaw[] = [{ path: '/settings', name: 'settings', component: SettingsView, meta: { layout: 'shell' } }];
