import { z } from 'zod';

export const themePreferences = ['system', 'light', 'dark'] as const;
export const localePreferences = ['system', 'en', 'fr'] as const;
export const supportedLocales = ['en', 'fr'] as const;

export type ThemePreference = (typeof themePreferences)[number];
export type LocalePreference = (typeof localePreferences)[number];
export type SupportedLocale = (typeof supportedLocales)[number];

export const settingsSchema = z
  .object({
    theme: z.enum(themePreferences),
    locale: z.enum(localePreferences),
    taskLogVisible: z.boolean(),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  locale: 'system',
  taskLogVisible: true,
};

export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
