import { defineStore } from 'pinia';
import { useOsTheme } from 'naive-ui';
import { computed, ref } from 'vue';
import { defaultSettings, type Settings, type SettingsPatch, type SupportedLocale } from '../../../shared/domain/settings';
import { systemLocale } from '../../i18n';
import { useIpc } from '../../platform/use-ipc';

/** The user's display preferences, mirrored from the host and kept in sync across windows. */
export const useSettingsStore = defineStore('settings', () => {
  const ipc = useIpc();
  const settings = ref<Settings>({ ...defaultSettings });
  const osTheme = useOsTheme();

  const effectiveTheme = computed<'light' | 'dark'>(() => (settings.value.theme === 'system' ? (osTheme.value ?? 'light') : settings.value.theme));
  const effectiveLocale = computed<SupportedLocale>(() => (settings.value.locale === 'system' ? systemLocale(navigator.languages) : settings.value.locale));

  async function load(): Promise<void> {
    ipc.on('settings.changed', (next) => (settings.value = next));
    settings.value = await ipc.call('settings.get', {});
  }

  /** Applies at once and reverts if the host cannot save; the caller reports the error. */
  async function update(patch: SettingsPatch): Promise<void> {
    const previous = settings.value;
    settings.value = { ...previous, ...patch };
    try {
      settings.value = await ipc.call('settings.update', patch);
    } catch (error) {
      settings.value = previous;
      throw error;
    }
  }

  return { settings, effectiveTheme, effectiveLocale, load, update };
});
