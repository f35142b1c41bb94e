import type { ParsedInput } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/errors';

import type { JobsService } from '../jobs';
import type { Logger } from '../log';
import type { ClusterSessions } from '../sessions';

export interface OperationsServiceOptions {
  sessions: Pick<ClusterSessions, 'connected' | 'client'>;
  jobs: Pick<JobsService, 'start' | 'followTask' | 'whenEnded'>;
  logger: Logger;
}

export class OperationsService {
  constructor(private readonly options: OperationsServiceOptions) {}

  nextVmid(_input: ParsedInput<'operations.nextVmid'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  storages(_input: ParsedInput<'operations.storages'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  volumes(_input: ParsedInput<'operations.volumes'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  bridges(_input: ParsedInput<'operations.bridges'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  create(_input: ParsedInput<'operations.create'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  clone(_input: ParsedInput<'operations.clone'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  destroy(_input: ParsedInput<'operations.destroy'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  config(_input: ParsedInput<'operations.config'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  updateConfig(_input: ParsedInput<'operations.updateConfig'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  resizeDisk(_input: ParsedInput<'operations.resizeDisk'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  moveDisk(_input: ParsedInput<'operations.moveDisk'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  snapshots(_input: ParsedInput<'operations.snapshots'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  createSnapshot(_input: ParsedInput<'operations.createSnapshot'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  rollbackSnapshot(_input: ParsedInput<'operations.rollbackSnapshot'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  deleteSnapshot(_input: ParsedInput<'operations.deleteSnapshot'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  backups(_input: ParsedInput<'operations.backups'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  backupNow(_input: ParsedInput<'operations.backupNow'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  restore(_input: ParsedInput<'operations.restore'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  deleteVolume(_input: ParsedInput<'operations.deleteVolume'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  backupJobs(_input: ParsedInput<'operations.backupJobs'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  saveBackupJob(_input: ParsedInput<'operations.saveBackupJob'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  deleteBackupJob(_input: ParsedInput<'operations.deleteBackupJob'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  runBackupJob(_input: ParsedInput<'operations.runBackupJob'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  migrationCheck(_input: ParsedInput<'operations.migrationCheck'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  migrate(_input: ParsedInput<'operations.migrate'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  evacuationPlan(_input: ParsedInput<'operations.evacuationPlan'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  evacuate(_input: ParsedInput<'operations.evacuate'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  haResource(_input: ParsedInput<'operations.haResource'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  setHa(_input: ParsedInput<'operations.setHa'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  removeHa(_input: ParsedInput<'operations.removeHa'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }

  rrd(_input: ParsedInput<'operations.rrd'>): never {
    throw new IpcError('INTERNAL', 'not yet');
  }
}
