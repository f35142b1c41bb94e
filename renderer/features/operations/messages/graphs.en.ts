/** English messages of the operations feature's graphs part (merged under `operations.graphs`). */
export const graphsEn = {
  title: 'Graphs',
};
