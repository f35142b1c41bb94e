import type { HostKind } from '../../shared/domain/app-info';
import { describeApp } from './app/app-service';
import { EventHub } from './ipc/event-hub';
import type { MethodHandlers } from './ipc/router';
import type { Logger } from './log/logger';
import { SettingsService } from './settings/settings-service';

export interface ServiceOptions {
  host: HostKind;
  configDir: string;
  appName: string;
  appVersion: string;
  logger: Logger;
}

export interface Services {
  handlers: MethodHandlers;
  events: EventHub;
}

/** Builds every service once and maps each IPC method to it; both hosts call this. */
export function createServices(options: ServiceOptions): Services {
  const events = new EventHub();
  const settings = new SettingsService(options.configDir, events, options.logger);
  const appInfo = describeApp({ name: options.appName, version: options.appVersion, host: options.host });

  const handlers: MethodHandlers = {
    'app.info': () => appInfo,
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  };
  return { handlers, events };
}
