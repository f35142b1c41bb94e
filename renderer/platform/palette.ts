import type { ComputedRef } from 'vue';

/** One command of the palette, labelled in the current language. */
export interface PaletteCommand {
  /** Unique across features: '<feature>.<command>'. */
  id: string;
  label: string;
  run: () => void;
}

/**
 * A feature's palette commands: a composable the palette calls once in its setup, so a feature
 * may use its stores, the router and i18n to build them.
 */
export type PaletteCommandSource = () => ComputedRef<PaletteCommand[]>;
