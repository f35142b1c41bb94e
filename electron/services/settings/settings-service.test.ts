import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../shared/domain/settings';
import { EventHub } from '../ipc';
import { silentLogger } from '../log';
import { SettingsService } from './settings-service';

describe('SettingsService', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pve-desk-settings-'));
  });

  it('starts from the defaults and persists an update for the next launch', async () => {
    const events = new EventHub();
    const seen: Settings[] = [];
    events.attach((name, payload) => {
      if (name === 'settings.changed') seen.push(payload as Settings);
    });
    const first = new SettingsService(dir, events, silentLogger);
    expect(await first.get()).toEqual(defaultSettings);
    await first.update({ theme: 'dark', locale: 'fr' });
    expect(seen).toEqual([{ ...defaultSettings, theme: 'dark', locale: 'fr' }]);

    const second = new SettingsService(dir, new EventHub(), silentLogger);
    expect(await second.get()).toEqual({ ...defaultSettings, theme: 'dark', locale: 'fr' });
  });

  it('moves a damaged file aside instead of overwriting it, and uses the defaults', async () => {
    const damaged = '{"theme": "dark", "locale": ';
    await writeFile(join(dir, 'settings.json'), damaged);
    const service = new SettingsService(dir, new EventHub(), silentLogger);
    expect(await service.get()).toEqual(defaultSettings);
    const kept = (await readdir(dir)).filter((name) => name.startsWith('settings.json.damaged-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(dir, kept[0] ?? ''), 'utf8')).toBe(damaged);
  });

  it('treats a well-formed file with unknown values as damaged', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ theme: 'neon', locale: 'en', taskLogVisible: true }));
    expect(await new SettingsService(dir, new EventHub(), silentLogger).get()).toEqual(defaultSettings);
  });

  it('leaves no temporary file behind after saving', async () => {
    await new SettingsService(dir, new EventHub(), silentLogger).update({ taskLogVisible: false });
    expect(await readdir(dir)).toEqual(['settings.json']);
  });
});
