import { computed, type ComputedRef } from 'vue';
import type { PaletteCommand } from '../../platform/palette';
import { commandSources } from './command-sources';

export type { PaletteCommand };

/** Keeps the commands whose label contains every word of the query, in order of appearance. */
export function filterCommands<T extends { label: string }>(commands: readonly T[], query: string): T[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return commands.filter((command) => {
    const label = command.label.toLocaleLowerCase();
    return words.every((word) => label.includes(word));
  });
}

/** Every feature's commands, labelled in the current language. */
export function usePaletteCommands(): ComputedRef<PaletteCommand[]> {
  const lists = commandSources.map((useCommands) => useCommands());
  return computed(() => lists.flatMap((list) => list.value));
}
