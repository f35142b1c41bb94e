import type { spiceEn } from './spice.en';

/** Messages de la console en français : spice. */
export const spiceFr: typeof spiceEn = {};
