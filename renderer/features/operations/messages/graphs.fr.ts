import type { graphsEn } from './graphs.en';

/** French messages of the operations feature's graphs part: the same keys as English. */
export const graphsFr: typeof graphsEn = {
  title: 'Graphiques',
};
