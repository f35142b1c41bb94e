/** English messages of the operations feature's create part (merged under `operations.create`). */
export const createEn = {
  title: 'Create',
};
