import type { createEn } from './create.en';

/** French messages of the operations feature's create part: the same keys as English. */
export const createFr: typeof createEn = {
  title: 'Créer',
};
