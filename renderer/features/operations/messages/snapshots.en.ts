/** English messages of the operations feature's snapshots part (merged under `operations.snapshots`). */
export const snapshotsEn = {
  title: 'Snapshots',
};
