import type { terminalEn } from './terminal.en';

/** Messages de la console en français : terminal. */
export const terminalFr: typeof terminalEn = {};
