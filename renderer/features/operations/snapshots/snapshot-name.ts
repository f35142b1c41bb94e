/** qemu-server's `pve-snapshot-name`: a letter, then letters, digits, `-` or `_`; 2 to 40 characters in all. */
const snapshotNamePattern = /^[a-zA-Z][a-zA-Z0-9_-]{1,39}$/;
/** The name PVE keeps for the running state. */
const reservedName = 'current';

export type SnapshotNameProblem = 'invalid' | 'taken';

/** What is wrong with a new snapshot's name, or undefined when PVE would take it. */
export function snapshotNameProblem(name: string, existing: readonly string[]): SnapshotNameProblem | undefined {
  if (!snapshotNamePattern.test(name)) return 'invalid';
  if (name === reservedName || existing.includes(name)) return 'taken';
  return undefined;
}
