import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsPatchSchema, settingsSchema } from './settings';

describe('settings schema', () => {
  it('loads a file written before the guest lists existed, with the lists’ defaults', () => {
    const old = { theme: 'dark', locale: 'fr', taskLogVisible: false };
    expect(settingsSchema.parse(old)).toEqual({
      ...old,
      inventoryColumns: defaultSettings.inventoryColumns,
      inventorySort: defaultSettings.inventorySort,
    });
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
