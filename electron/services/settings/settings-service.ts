import { join } from 'node:path';
import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../../shared/domain/settings';
import { readJsonFile, writeJsonFile } from '../config';
import type { EventHub } from '../ipc';
import type { Logger } from '../log';

/** The user's display preferences, kept in `settings.json` in the config folder. */
export class SettingsService {
  private current: Settings | undefined;
  private readonly file: string;

  constructor(
    configDir: string,
    private readonly events: EventHub,
    private readonly logger: Logger,
  ) {
    this.file = join(configDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    this.current ??= await readJsonFile(this.file, settingsSchema, defaultSettings, this.logger);
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next: Settings = { ...(await this.get()), ...patch };
    await writeJsonFile(this.file, next);
    this.current = next;
    this.events.emit('settings.changed', next);
    return next;
  }
}
