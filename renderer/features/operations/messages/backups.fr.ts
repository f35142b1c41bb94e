import type { backupsEn } from './backups.en';

/** French messages of the operations feature's backups part: the same keys as English. */
export const backupsFr: typeof backupsEn = {
  title: 'Sauvegardes',
};
