import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import type { PaletteCommand, PaletteCommandSource } from '../../platform/palette';
import { entryRoute } from './entry-route';
import { guestLabel } from './guest-label';
import { useInventoryStore, type InventoryEntry } from './inventory-store';
import { usePowerActions } from './use-power-actions';

/** Stands for the guest in the translated sentence, so 20 000 labels cost one translation and a replace each. */
const guestSlot = '\u0000';

/**
 * The inventory's commands: open it, go to any guest (one command per guest,
 * found by typing its name or id), and the power actions the guest the
 * current view shows allows. Power actions are offered for that one guest
 * only: eight per guest would bury the rest of the palette.
 */
export const useInventoryPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  const route = useRoute();
  const inventory = useInventoryStore();
  const power = usePowerActions();

  const shownGuest = computed<InventoryEntry | undefined>(() => {
    if (route.name !== 'inventory-guest') return undefined;
    const { profileId, vmid } = route.params;
    if (typeof profileId !== 'string' || typeof vmid !== 'string') return undefined;
    return inventory.entry(profileId, `qemu/${vmid}`) ?? inventory.entry(profileId, `lxc/${vmid}`);
  });

  const goToGuests = computed<PaletteCommand[]>(() => {
    const sentence = t('inventory.power.goToGuest', { guest: guestSlot });
    return inventory.entries().flatMap((entry) => {
      const target = entry.item.type === 'qemu' || entry.item.type === 'lxc' ? entryRoute(entry) : undefined;
      if (target === undefined) return [];
      return [{ id: `inventory.guest.${entry.key}`, label: sentence.replace(guestSlot, guestLabel(entry.item)), run: () => void router.push(target) }];
    });
  });

  const powerOnShownGuest = computed<PaletteCommand[]>(() => {
    const entry = shownGuest.value;
    if (entry === undefined) return [];
    const guest = guestLabel(entry.item);
    return power
      .choices([entry])
      .filter((choice) => choice.enabled)
      .map(({ action }) => ({
        id: `inventory.power.${action}`,
        label: t('inventory.power.paletteAction', { action: t(`inventory.power.actions.${action}`), guest }),
        run: () => void power.run(action, [entry]),
      }));
  });

  return computed(() => [
    { id: 'inventory.go', label: t('inventory.commands.go'), run: () => void router.push({ name: 'inventory' }) },
    ...powerOnShownGuest.value,
    ...goToGuests.value,
  ]);
};
