import type { MethodResult } from '../../../shared/ipc/contract';
import * as backups from './backup-operations';
import * as reads from './cluster-reads';
import * as guests from './guest-operations';
import * as migration from './migration-operations';
import { OperationsContext, type Input, type OperationsDeps } from './operations-context';

export type OperationsServiceOptions = OperationsDeps;

/**
 * Operations on guests and clusters, one method per `operations.*` call:
 * each reaches the profile's connected client, and every long operation is
 * a job (the PVE task it starts, followed) the task pane shows.
 */
export class OperationsService {
  private readonly context: OperationsContext;

  constructor(options: OperationsServiceOptions) {
    this.context = new OperationsContext(options);
  }

  nextVmid(input: Input<'nextVmid'>): Promise<MethodResult<'operations.nextVmid'>> {
    return reads.nextVmid(this.context, input);
  }

  storages(input: Input<'storages'>): Promise<MethodResult<'operations.storages'>> {
    return reads.storages(this.context, input);
  }

  volumes(input: Input<'volumes'>): Promise<MethodResult<'operations.volumes'>> {
    return reads.volumes(this.context, input);
  }

  bridges(input: Input<'bridges'>): Promise<MethodResult<'operations.bridges'>> {
    return reads.bridges(this.context, input);
  }

  create(input: Input<'create'>): Promise<MethodResult<'operations.create'>> {
    return guests.createVm(this.context, input);
  }

  clone(input: Input<'clone'>): Promise<MethodResult<'operations.clone'>> {
    return guests.cloneVm(this.context, input);
  }

  destroy(input: Input<'destroy'>): Promise<MethodResult<'operations.destroy'>> {
    return guests.destroyVm(this.context, input);
  }

  config(input: Input<'config'>): Promise<MethodResult<'operations.config'>> {
    return guests.readConfig(this.context, input);
  }

  updateConfig(input: Input<'updateConfig'>): Promise<MethodResult<'operations.updateConfig'>> {
    return guests.updateConfig(this.context, input);
  }

  resizeDisk(input: Input<'resizeDisk'>): Promise<MethodResult<'operations.resizeDisk'>> {
    return guests.resizeDisk(this.context, input);
  }

  moveDisk(input: Input<'moveDisk'>): Promise<MethodResult<'operations.moveDisk'>> {
    return guests.moveDisk(this.context, input);
  }

  snapshots(input: Input<'snapshots'>): Promise<MethodResult<'operations.snapshots'>> {
    return guests.listSnapshots(this.context, input);
  }

  createSnapshot(input: Input<'createSnapshot'>): Promise<MethodResult<'operations.createSnapshot'>> {
    return guests.createSnapshot(this.context, input);
  }

  rollbackSnapshot(input: Input<'rollbackSnapshot'>): Promise<MethodResult<'operations.rollbackSnapshot'>> {
    return guests.rollbackSnapshot(this.context, input);
  }

  deleteSnapshot(input: Input<'deleteSnapshot'>): Promise<MethodResult<'operations.deleteSnapshot'>> {
    return guests.deleteSnapshot(this.context, input);
  }

  backups(input: Input<'backups'>): Promise<MethodResult<'operations.backups'>> {
    return backups.listBackups(this.context, input);
  }

  backupNow(input: Input<'backupNow'>): Promise<MethodResult<'operations.backupNow'>> {
    return backups.backupNow(this.context, input);
  }

  restore(input: Input<'restore'>): Promise<MethodResult<'operations.restore'>> {
    return backups.restoreBackup(this.context, input);
  }

  deleteVolume(input: Input<'deleteVolume'>): Promise<MethodResult<'operations.deleteVolume'>> {
    return backups.deleteVolume(this.context, input);
  }

  backupJobs(input: Input<'backupJobs'>): Promise<MethodResult<'operations.backupJobs'>> {
    return backups.listBackupJobs(this.context, input);
  }

  saveBackupJob(input: Input<'saveBackupJob'>): Promise<MethodResult<'operations.saveBackupJob'>> {
    return backups.saveBackupJob(this.context, input);
  }

  deleteBackupJob(input: Input<'deleteBackupJob'>): Promise<MethodResult<'operations.deleteBackupJob'>> {
    return backups.deleteBackupJob(this.context, input);
  }

  runBackupJob(input: Input<'runBackupJob'>): Promise<MethodResult<'operations.runBackupJob'>> {
    return backups.runBackupJob(this.context, input);
  }

  migrationCheck(input: Input<'migrationCheck'>): Promise<MethodResult<'operations.migrationCheck'>> {
    return migration.checkMigration(this.context, input);
  }

  migrate(input: Input<'migrate'>): Promise<MethodResult<'operations.migrate'>> {
    return migration.migrate(this.context, input);
  }

  evacuationPlan(input: Input<'evacuationPlan'>): Promise<MethodResult<'operations.evacuationPlan'>> {
    return migration.evacuationPlan(this.context, input);
  }

  evacuate(input: Input<'evacuate'>): Promise<MethodResult<'operations.evacuate'>> {
    return migration.evacuate(this.context, input);
  }

  haResource(input: Input<'haResource'>): Promise<MethodResult<'operations.haResource'>> {
    return reads.haResource(this.context, input);
  }

  setHa(input: Input<'setHa'>): Promise<MethodResult<'operations.setHa'>> {
    return reads.setHa(this.context, input);
  }

  removeHa(input: Input<'removeHa'>): Promise<MethodResult<'operations.removeHa'>> {
    return reads.removeHa(this.context, input);
  }

  rrd(input: Input<'rrd'>): Promise<MethodResult<'operations.rrd'>> {
    return reads.rrd(this.context, input);
  }
}
