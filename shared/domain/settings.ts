import { z } from 'zod';

export const themePreferences = ['system', 'light', 'dark'] as const;
export const localePreferences = ['system', 'en', 'fr'] as const;
export const supportedLocales = ['en', 'fr'] as const;

export type ThemePreference = (typeof themePreferences)[number];
export type LocalePreference = (typeof localePreferences)[number];
export type SupportedLocale = (typeof supportedLocales)[number];

/** The columns a guest list can show, in their default order; `cluster` only appears when several clusters are listed. */
export const inventoryColumnIds = [
  'name',
  'vmid',
  'status',
  'node',
  'cpu',
  'memory',
  'disk',
  'uptime',
  'tags',
  'pool',
  'hastate',
  'lock',
  'ostype',
  'cluster',
] as const;
export type InventoryColumnId = (typeof inventoryColumnIds)[number];

const inventoryColumnsSchema = z
  .array(z.enum(inventoryColumnIds))
  .min(1)
  .refine((columns) => new Set(columns).size === columns.length, 'each column once');
const inventorySortSchema = z.object({ column: z.enum(inventoryColumnIds), direction: z.enum(['asc', 'desc']) }).strict();
export type InventorySort = z.infer<typeof inventorySortSchema>;

/** How the resource tree arranges each cluster's items (renderer/features/inventory/tree-groupings.ts). */
export const inventoryGroupings = ['nodes', 'pools', 'tags', 'status', 'os', 'folders'] as const;
export type InventoryGrouping = (typeof inventoryGroupings)[number];

const defaultInventoryColumns: InventoryColumnId[] = ['name', 'vmid', 'status', 'node', 'cpu', 'memory', 'uptime', 'tags', 'cluster'];
const defaultInventorySort: InventorySort = { column: 'name', direction: 'asc' };

/** qemu-server's limits of `cores` and `memory` (MiB), and a disk size in GiB: shared by the presets and the create call. */
export const coresSchema = z.number().int().min(1).max(1024);
export const memoryMiBSchema = z
  .number()
  .int()
  .min(16)
  .max(4 * 1024 * 1024);
export const diskGiBSchema = z
  .number()
  .int()
  .min(1)
  .max(128 * 1024);

const sizingPresetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    name: z.string().min(1).max(60),
    cores: coresSchema,
    memory: memoryMiBSchema,
    diskGiB: diskGiBSchema,
  })
  .strict();
const sizingPresetsSchema = z.array(sizingPresetSchema).min(1).max(20);
/** A size the create and P2V dialogs offer (memory in MiB). */
export type SizingPreset = z.infer<typeof sizingPresetSchema>;

/** The institute's standard sizes (memory in MiB). */
const defaultSizingPresets: z.infer<typeof sizingPresetsSchema> = [
  { id: 'standard', name: 'Standard', cores: 4, memory: 4096, diskGiB: 40 },
  { id: 'large', name: 'Large', cores: 8, memory: 16384, diskGiB: 40 },
];

const settingsFields = {
  theme: z.enum(themePreferences),
  locale: z.enum(localePreferences),
  taskLogVisible: z.boolean(),
  /** The guest lists' columns, in the order shown. */
  inventoryColumns: inventoryColumnsSchema,
  inventorySort: inventorySortSchema,
  inventoryGrouping: z.enum(inventoryGroupings),
  /** Sizes offered by the create and P2V dialogs, editable by admins. */
  sizingPresets: sizingPresetsSchema,
};

export const settingsSchema = z
  .object({
    ...settingsFields,
    // Files written before the lists existed, or naming a column this version does not know, keep their other settings.
    inventoryColumns: inventoryColumnsSchema.catch(defaultInventoryColumns),
    inventorySort: inventorySortSchema.catch(defaultInventorySort),
    inventoryGrouping: z.enum(inventoryGroupings).catch('nodes'),
    sizingPresets: sizingPresetsSchema.catch(defaultSizingPresets),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  locale: 'system',
  taskLogVisible: true,
  inventoryColumns: defaultInventoryColumns,
  inventorySort: defaultInventorySort,
  inventoryGrouping: 'nodes',
  sizingPresets: defaultSizingPresets,
};

// Built from the fields without their fallbacks: a patch that leaves a setting out must not reset it.
export const settingsPatchSchema = z.object(settingsFields).partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
