export { default as SettingsView } from './SettingsView.vue';
export { settingsRoutes } from './routes';
export { useSettingsPaletteCommands } from './palette-commands';
export { useSettingsStore } from './settings-store';
