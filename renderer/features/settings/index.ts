export { default as SettingsView } from './SettingsView.vue';
export { settingsRoutes } from './routes';
