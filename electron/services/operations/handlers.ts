import type { MethodHandlers } from '../ipc';
import type { OperationsService } from './operations-service';

export type OperationsHandlers = Pick<
  MethodHandlers,
  | 'operations.nextVmid'
  | 'operations.storages'
  | 'operations.volumes'
  | 'operations.bridges'
  | 'operations.create'
  | 'operations.clone'
  | 'operations.destroy'
  | 'operations.config'
  | 'operations.updateConfig'
  | 'operations.resizeDisk'
  | 'operations.moveDisk'
  | 'operations.snapshots'
  | 'operations.createSnapshot'
  | 'operations.rollbackSnapshot'
  | 'operations.deleteSnapshot'
  | 'operations.backups'
  | 'operations.backupNow'
  | 'operations.restore'
  | 'operations.deleteVolume'
  | 'operations.backupJobs'
  | 'operations.saveBackupJob'
  | 'operations.deleteBackupJob'
  | 'operations.runBackupJob'
  | 'operations.migrationCheck'
  | 'operations.migrate'
  | 'operations.evacuationPlan'
  | 'operations.evacuate'
  | 'operations.haResource'
  | 'operations.setHa'
  | 'operations.removeHa'
  | 'operations.rrd'
>;

/** Each `operations.*` method handed to the service as parsed. */
export function operationsHandlers(operations: OperationsService): OperationsHandlers {
  return {
    'operations.nextVmid': (input) => operations.nextVmid(input),
    'operations.storages': (input) => operations.storages(input),
    'operations.volumes': (input) => operations.volumes(input),
    'operations.bridges': (input) => operations.bridges(input),
    'operations.create': (input) => operations.create(input),
    'operations.clone': (input) => operations.clone(input),
    'operations.destroy': (input) => operations.destroy(input),
    'operations.config': (input) => operations.config(input),
    'operations.updateConfig': (input) => operations.updateConfig(input),
    'operations.resizeDisk': (input) => operations.resizeDisk(input),
    'operations.moveDisk': (input) => operations.moveDisk(input),
    'operations.snapshots': (input) => operations.snapshots(input),
    'operations.createSnapshot': (input) => operations.createSnapshot(input),
    'operations.rollbackSnapshot': (input) => operations.rollbackSnapshot(input),
    'operations.deleteSnapshot': (input) => operations.deleteSnapshot(input),
    'operations.backups': (input) => operations.backups(input),
    'operations.backupNow': (input) => operations.backupNow(input),
    'operations.restore': (input) => operations.restore(input),
    'operations.deleteVolume': (input) => operations.deleteVolume(input),
    'operations.backupJobs': (input) => operations.backupJobs(input),
    'operations.saveBackupJob': (input) => operations.saveBackupJob(input),
    'operations.deleteBackupJob': (input) => operations.deleteBackupJob(input),
    'operations.runBackupJob': (input) => operations.runBackupJob(input),
    'operations.migrationCheck': (input) => operations.migrationCheck(input),
    'operations.migrate': (input) => operations.migrate(input),
    'operations.evacuationPlan': (input) => operations.evacuationPlan(input),
    'operations.evacuate': (input) => operations.evacuate(input),
    'operations.haResource': (input) => operations.haResource(input),
    'operations.setHa': (input) => operations.setHa(input),
    'operations.removeHa': (input) => operations.removeHa(input),
    'operations.rrd': (input) => operations.rrd(input),
  };
}
