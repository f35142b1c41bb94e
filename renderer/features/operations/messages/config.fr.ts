import type { configEn } from './config.en';

/** French messages of the operations feature's config part: the same keys as English. */
export const configFr: typeof configEn = {
  title: 'Matériel et options',
};
