import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { PaletteCommand, PaletteCommandSource } from '../../platform/palette';
import { guestLabel, useInventoryStore } from '../inventory';
import { useConsolesStore } from './consoles-store';

/** Stands for the guest in the translated sentence, so thousands of labels cost one translation and a replace each. */
const guestSlot = '\u0000';

/** "Open console of …" for every QEMU guest (its VNC console), and "Consoles" to show the open ones. */
export const useConsolesPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  const inventory = useInventoryStore();
  const consoles = useConsolesStore();

  return computed<PaletteCommand[]>(() => {
    const sentence = t('consoles.common.palette.guest', { guest: guestSlot });
    const guests = inventory.entries().flatMap(({ key, profileId, item }) => {
      if (item.type !== 'qemu' || typeof item.vmid !== 'number' || item.node === undefined || item.template === true) return [];
      const title = guestLabel(item);
      const target = { kind: 'vnc' as const, profileId, node: item.node, vmid: item.vmid };
      return [
        {
          id: `consoles.open.${key}`,
          label: sentence.replace(guestSlot, title),
          run: () => {
            consoles.open(target, title);
            void router.push({ name: 'consoles' });
          },
        },
      ];
    });
    return [{ id: 'consoles.show', label: t('consoles.common.view.tabs'), run: () => void router.push({ name: 'consoles' }) }, ...guests];
  });
};
