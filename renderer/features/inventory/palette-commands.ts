import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { PaletteCommandSource } from '../../platform/palette';

export const useInventoryPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  return computed(() => [{ id: 'inventory.go', label: t('inventory.commands.go'), run: () => void router.push({ name: 'inventory' }) }]);
};
