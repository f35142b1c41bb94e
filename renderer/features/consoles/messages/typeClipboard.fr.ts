import type { typeClipboardEn } from './typeClipboard.en';

/** Messages de la console en français : typeClipboard. */
export const typeClipboardFr: typeof typeClipboardEn = {};
