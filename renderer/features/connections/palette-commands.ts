import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { PaletteCommandSource } from '../../platform/palette';

export const useConnectionsPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  return computed(() => [{ id: 'connections.go', label: t('connections.commands.go'), run: () => void router.push({ name: 'connections' }) }]);
};
