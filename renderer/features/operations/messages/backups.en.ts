/** English messages of the operations feature's backups part (merged under `operations.backups`). */
export const backupsEn = {
  title: 'Backups',
};
