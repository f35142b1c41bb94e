import type { vncEn } from './vnc.en';

/** Messages de la console en français : vnc. */
export const vncFr: typeof vncEn = {};
