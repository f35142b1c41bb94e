/** Titles of the jobs the operations feature starts (`operations.jobs.<kind>`), as the task pane lists them. */
export const jobsEn = {
  create: 'Create VM {guest} ({vmid}) on {node}',
  clone: 'Clone {guest} to {name} ({newid})',
  destroy: 'Delete VM {guest} ({vmid})',
  updateConfig: 'Change the configuration of {guest}',
  resizeDisk: 'Grow disk {disk} of {guest} to {size}',
  moveDisk: 'Move disk {disk} of {guest} to {storage}',
  snapshotCreate: 'Take snapshot {snapshot} of {guest}',
  snapshotRollback: 'Roll {guest} back to snapshot {snapshot}',
  snapshotDelete: 'Delete snapshot {snapshot} of {guest}',
  backup: 'Back up {guest} to {storage}',
  restore: 'Restore {archive} to VM {vmid}',
  deleteVolume: 'Delete {volume}',
  backupJobRun: 'Run backup job {job} on {node}',
  migrate: 'Migrate {guest} to {target}',
  evacuate: 'Evacuate node {node} ({count} guests)',
};
