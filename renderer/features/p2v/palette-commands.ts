import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { PaletteCommandSource } from '../../platform/palette';

/** "Move a physical server into a VM…": the wizard's page. */
export const useP2vPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  return computed(() => [{ id: 'p2v.open', label: t('p2v.commands.open'), run: () => void router.push({ name: 'p2v' }) }]);
};
