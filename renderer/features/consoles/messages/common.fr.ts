import type { commonEn } from './common.en';

/** Messages de la console en français : common. */
export const commonFr: typeof commonEn = {};
