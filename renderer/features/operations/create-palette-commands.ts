import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { PaletteCommandSource } from '../../platform/palette';
import { useOperationsDialogs } from './operations-dialogs';

/** "Create a VM…" from the command palette: the same dialog as the top bar's button. */
export const useCreatePaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const dialogs = useOperationsDialogs();
  return computed(() => [{ id: 'operations.createVm', label: t('operations.create.commands.createVm'), run: () => dialogs.open({ kind: 'create' }) }]);
};
