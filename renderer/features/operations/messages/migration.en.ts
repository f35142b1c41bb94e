/** English messages of the operations feature's migration part (merged under `operations.migration`). */
export const migrationEn = {
  title: 'Migrate',
};
