import { computed, ref, shallowRef, type Ref } from 'vue';
import type { InventoryEntry } from './inventory-store';

/**
 * Which rows of a list are selected, by key: kept across refreshes and
 * re-sorts, acted on only for the rows still shown (`lookup` finds them).
 * A Shift toggle selects the range from the last row toggled.
 */
export function useRowSelection(rows: Readonly<Ref<readonly InventoryEntry[]>>, lookup: (key: string) => InventoryEntry | undefined) {
  const keys = shallowRef(new Set<string>());
  const anchorKey = ref<string>();

  const entries = computed(() => {
    void rows.value;
    return [...keys.value].flatMap((key) => lookup(key) ?? []);
  });
  const all = computed(() => rows.value.length > 0 && entries.value.length === rows.value.length);

  function has(key: string): boolean {
    return keys.value.has(key);
  }

  function indexOf(key: string): number {
    const entry = lookup(key);
    return entry === undefined ? -1 : rows.value.indexOf(entry);
  }

  function toggle(key: string, range: boolean): void {
    const from = range && anchorKey.value !== undefined ? indexOf(anchorKey.value) : -1;
    const to = indexOf(key);
    const next = new Set(keys.value);
    if (from >= 0 && to >= 0) {
      for (const entry of rows.value.slice(Math.min(from, to), Math.max(from, to) + 1)) next.add(entry.key);
    } else if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
    }
    keys.value = next;
    anchorKey.value = key;
  }

  function selectAll(): void {
    keys.value = new Set(rows.value.map((entry) => entry.key));
  }

  function clear(): void {
    keys.value = new Set();
  }

  function toggleAll(): void {
    if (all.value) clear();
    else selectAll();
  }

  return { entries, all, has, toggle, toggleAll, selectAll, clear };
}
