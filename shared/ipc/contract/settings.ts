import { settingsPatchSchema, type Settings } from '../../domain/settings';
import { method, noInput } from './method';

export const settingsMethods = {
  'settings.get': method<Settings>()(noInput),
  'settings.update': method<Settings>()(settingsPatchSchema),
} as const;

export interface SettingsEvents {
  'settings.changed': Settings;
}
export const settingsEventNames = ['settings.changed'] as const satisfies readonly (keyof SettingsEvents)[];
