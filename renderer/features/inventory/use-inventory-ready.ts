import { shallowRef } from 'vue';
import { useInventoryStore } from './inventory-store';

/**
 * Starts the inventory store (once for the whole app) and says when its first
 * read is done, or why it failed: a summary opened from a link must tell
 * "still loading" from "not in the inventory".
 */
export function useInventoryReady() {
  const inventory = useInventoryStore();
  const ready = shallowRef(false);
  const error = shallowRef<unknown>();
  inventory.start().then(
    () => (ready.value = true),
    (failure: unknown) => {
      error.value = failure;
      ready.value = true;
    },
  );
  return { inventory, ready, error };
}
