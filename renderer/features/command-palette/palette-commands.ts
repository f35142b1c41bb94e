import { computed, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { MessageSchema } from '../../i18n/en';
import { useNotify } from '../../platform/use-notify';
import { useSettingsStore } from '../../stores/settings';
import type { SettingsPatch } from '../../../shared/domain/settings';

export interface PaletteCommand {
  id: keyof MessageSchema['palette']['commands'];
  label: string;
  run: () => void;
}

/** Keeps the commands whose label contains every word of the query, in order of appearance. */
export function filterCommands<T extends { label: string }>(commands: readonly T[], query: string): T[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return commands.filter((command) => {
    const label = command.label.toLocaleLowerCase();
    return words.every((word) => label.includes(word));
  });
}

/** Every command the palette offers, labelled in the current language. */
export function usePaletteCommands(): ComputedRef<PaletteCommand[]> {
  const { t } = useI18n();
  const router = useRouter();
  const settings = useSettingsStore();
  const notify = useNotify();

  const save = (patch: SettingsPatch) => () => {
    settings.update(patch).catch((error: unknown) => notify.failure('errors.settingsNotSaved', error));
  };
  const go = (name: string) => () => void router.push({ name });

  const actions: Record<PaletteCommand['id'], () => void> = {
    goInventory: go('inventory'),
    goConnections: go('connections'),
    goSettings: go('settings'),
    themeLight: save({ theme: 'light' }),
    themeDark: save({ theme: 'dark' }),
    themeSystem: save({ theme: 'system' }),
    localeEn: save({ locale: 'en' }),
    localeFr: save({ locale: 'fr' }),
    toggleTasks: () => save({ taskLogVisible: !settings.settings.taskLogVisible })(),
  };

  return computed(() =>
    (Object.keys(actions) as PaletteCommand['id'][]).map((id) => ({
      id,
      label: t(`palette.commands.${id}`),
      run: actions[id],
    })),
  );
}
