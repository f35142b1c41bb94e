import { describe, expect, it } from 'vitest';
import { settingsPatchSchema, settingsSchema } from './settings';

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
