import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { SettingsPatch } from '../../../shared/domain/settings';
import type { PaletteCommandSource } from '../../platform/palette';
import { useNotify } from '../../platform/use-notify';
import { useSettingsStore } from './settings-store';
import type { settingsEn } from './messages.en';

export const useSettingsPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  const settings = useSettingsStore();
  const notify = useNotify();

  const save = (patch: SettingsPatch) => () => {
    settings.update(patch).catch((error: unknown) => notify.failure('errors.settingsNotSaved', error));
  };
  const actions: Record<keyof typeof settingsEn.commands, () => void> = {
    open: () => void router.push({ name: 'settings' }),
    themeLight: save({ theme: 'light' }),
    themeDark: save({ theme: 'dark' }),
    themeSystem: save({ theme: 'system' }),
    localeEn: save({ locale: 'en' }),
    localeFr: save({ locale: 'fr' }),
    toggleTasks: () => save({ taskLogVisible: !settings.settings.taskLogVisible })(),
  };

  return computed(() =>
    (Object.keys(actions) as (keyof typeof actions)[]).map((name) => ({ id: `settings.${name}`, label: t(`settings.commands.${name}`), run: actions[name] })),
  );
};
