import type { snapshotsEn } from './snapshots.en';

/** French messages of the operations feature's snapshots part: the same keys as English. */
export const snapshotsFr: typeof snapshotsEn = {
  title: 'Instantanés',
};
