/** English messages of the operations feature's config part (merged under `operations.config`). */
export const configEn = {
  title: 'Hardware and options',
};
