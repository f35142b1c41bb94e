import type { migrationEn } from './migration.en';

/** French messages of the operations feature's migration part: the same keys as English. */
export const migrationFr: typeof migrationEn = {
  title: 'Migrer',
};
