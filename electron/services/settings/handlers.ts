import type { MethodHandlers } from '../ipc';
import type { SettingsService } from './settings-service';

export type SettingsHandlers = Pick<MethodHandlers, 'settings.get' | 'settings.update'>;

export function settingsHandlers(settings: SettingsService): SettingsHandlers {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  };
}
