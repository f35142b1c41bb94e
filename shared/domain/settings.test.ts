import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsPatchSchema, settingsSchema } from './settings';

describe('settings schema', () => {
  it('loads a file written before the guest lists and the VM sizes existed, with their defaults', () => {
    const old = { theme: 'dark', locale: 'fr', taskLogVisible: false };
    expect(settingsSchema.parse(old)).toEqual({
      ...old,
      inventoryColumns: defaultSettings.inventoryColumns,
      inventorySort: defaultSettings.inventorySort,
      inventoryGrouping: defaultSettings.inventoryGrouping,
      sizingPresets: defaultSettings.sizingPresets,
    });
  });

  it('offers the institute’s sizes by default, keeps edited ones, and falls back to the defaults from a broken list', () => {
    expect(defaultSettings.sizingPresets.map(({ name, cores, memory, diskGiB }) => [name, cores, memory, diskGiB])).toEqual([
      ['Standard', 4, 4096, 40],
      ['Large', 8, 16384, 40],
    ]);
    const edited = [{ id: 'lab', name: 'Lab', cores: 2, memory: 2048, diskGiB: 20 }];
    expect(settingsSchema.parse({ ...defaultSettings, sizingPresets: edited }).sizingPresets).toEqual(edited);
    expect(settingsSchema.parse({ ...defaultSettings, sizingPresets: [{ id: 'x', name: 'X', cores: 0, memory: 1, diskGiB: 1 }] }).sizingPresets).toEqual(
      defaultSettings.sizingPresets,
    );
    expect(settingsPatchSchema.safeParse({ sizingPresets: [] }).success).toBe(false);
  });

  it('keeps the other settings when the columns name one this version does not know', () => {
    const parsed = settingsSchema.parse({
      ...defaultSettings,
      theme: 'light',
      inventoryColumns: ['name', 'gpu'],
      inventorySort: { column: 'gpu', direction: 'up' },
    });
    expect(parsed.theme).toBe('light');
    expect(parsed.inventoryColumns).toEqual(defaultSettings.inventoryColumns);
    expect(parsed.inventorySort).toEqual(defaultSettings.inventorySort);
  });

  it('keeps the columns in the order chosen', () => {
    expect(settingsSchema.parse({ ...defaultSettings, inventoryColumns: ['tags', 'name'] }).inventoryColumns).toEqual(['tags', 'name']);
  });

  it('leaves out of a patch what the patch does not name, and refuses bad column lists', () => {
    expect(settingsPatchSchema.parse({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(settingsPatchSchema.safeParse({ inventoryColumns: ['name', 'name'] }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ inventoryColumns: [] }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ inventoryColumns: ['gpu'] }).success).toBe(false);
    expect(settingsPatchSchema.parse({ inventorySort: { column: 'cpu', direction: 'desc' } })).toEqual({ inventorySort: { column: 'cpu', direction: 'desc' } });
  });
});

describe('settings: the tree grouping', () => {
  it('reads a file written before the grouping existed, or naming one this version does not know, as grouped by nodes', () => {
    const before = { theme: 'dark', locale: 'fr', taskLogVisible: false };
    expect(settingsSchema.parse(before).inventoryGrouping).toBe('nodes');
    expect(settingsSchema.parse({ ...before, inventoryGrouping: 'racks' })).toMatchObject({ theme: 'dark', inventoryGrouping: 'nodes' });
    expect(settingsSchema.parse({ ...before, inventoryGrouping: 'folders' }).inventoryGrouping).toBe('folders');
  });

  it('is left alone by a patch that does not name it, and a patch may name only a known grouping', () => {
    expect(settingsPatchSchema.parse({ theme: 'light' })).toEqual({ theme: 'light' });
    expect(settingsPatchSchema.parse({ inventoryGrouping: 'tags' })).toEqual({ inventoryGrouping: 'tags' });
    expect(settingsPatchSchema.safeParse({ inventoryGrouping: 'racks' }).success).toBe(false);
  });
});
