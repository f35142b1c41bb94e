/** The public surface of the settings feature: the user's display preferences. */
export { SettingsService } from './settings-service';
export { settingsHandlers, type SettingsHandlers } from './handlers';
