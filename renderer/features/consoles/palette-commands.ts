import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import type { PaletteCommand, PaletteCommandSource } from '../../platform/palette';
import { guestLabel, useInventoryStore } from '../inventory';
import { useConsolesStore } from './consoles-store';

/**
 * "Open consoles", and "Open console of …" for the QEMU guest the current view shows (its VNC console). Only that
 * guest's, as the inventory does with power actions: one more command per guest would bury the rest of the palette.
 */
export const useConsolesPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  const route = useRoute();
  const inventory = useInventoryStore();
  const consoles = useConsolesStore();

  const shownGuest = computed(() => {
    if (route.name !== 'inventory-guest') return undefined;
    const { profileId, vmid } = route.params;
    if (typeof profileId !== 'string' || typeof vmid !== 'string') return undefined;
    const entry = inventory.entry(profileId, `qemu/${vmid}`);
    return entry?.item.node === undefined || entry.item.template === true ? undefined : entry;
  });

  return computed<PaletteCommand[]>(() => {
    const show: PaletteCommand = { id: 'consoles.show', label: t('consoles.common.view.tabs'), run: () => void router.push({ name: 'consoles' }) };
    const entry = shownGuest.value;
    const { node, vmid } = entry?.item ?? {};
    if (entry === undefined || node === undefined || vmid === undefined) return [show];
    const title = guestLabel(entry.item);
    const open: PaletteCommand = {
      id: 'consoles.open',
      label: t('consoles.common.palette.guest', { guest: title }),
      run: () => {
        consoles.open({ kind: 'vnc', profileId: entry.profileId, node, vmid }, title);
        void router.push({ name: 'consoles' });
      },
    };
    return [open, show];
  });
};
