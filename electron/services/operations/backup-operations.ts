import type { JobView } from '../../../shared/domain/jobs';
import type { BackupJobView, BackupView } from '../../../shared/domain/operations';
import { IpcError } from '../../../shared/ipc/errors';
import { toErrorPayload } from '../ipc';
import {
  backupJobsCall,
  clusterResourcesCall,
  createBackupJobCall,
  createGuestCall,
  deleteBackupJobCall,
  deleteVolumeCall,
  storageContentCall,
  storagesWithContentCall,
  updateBackupJobCall,
  vzdumpCall,
  type BackupJobEntry,
} from '../pve';
import { backupJobForm, backupJobView, runNowForm } from './backup-job-form';
import { nodeCapacities } from './migration-check';
import { jobTitle, type Input, type OperationsContext } from './operations-context';
import { backupViews } from './views';

/** Backups of one guest or one storage: each backup storage of the node (an inactive one skipped), or the one asked for. */
export async function listBackups(ctx: OperationsContext, input: Input<'backups'>): Promise<BackupView[]> {
  const { profileId, node, vmid, storage } = input;
  const storages =
    storage !== undefined
      ? [storage]
      : (await ctx.send(profileId, storagesWithContentCall(node, 'backup')))
          .filter((entry) => entry.active !== false && entry.enabled !== false)
          .map((entry) => entry.storage);
  const byStorage = await Promise.all(
    storages.map(async (id) => ({
      storage: id,
      volumes: await ctx.send(profileId, storageContentCall(node, id, { content: 'backup', ...(vmid !== undefined ? { vmid } : {}) })),
    })),
  );
  return backupViews(byStorage);
}

export async function backupNow(ctx: OperationsContext, input: Input<'backupNow'>): Promise<JobView> {
  const { profileId, node, vmid, storage } = input;
  const result = await ctx.send(
    profileId,
    vzdumpCall(node, {
      vmid: String(vmid),
      storage,
      mode: input.mode,
      compress: input.compress,
      'notes-template': input.notes !== undefined && input.notes.length > 0 ? input.notes : undefined,
      protected: input.protected,
    }),
  );
  if (!result.started) {
    throw new IpcError('NOT_FOUND', {
      en: `Guest ${vmid} is not on node ${node} (any more). Refresh the inventory and try again.`,
      fr: `L’invité ${vmid} n’est pas (ou plus) sur le nœud ${node}. Actualisez l’inventaire, puis réessayez.`,
    });
  }
  const cluster = await ctx.clusterName(profileId);
  const title = jobTitle('backup', { guest: await ctx.guestName(profileId, node, vmid), storage });
  return ctx.jobs.followTask(profileId, result.upid, { ...(cluster !== undefined ? { cluster } : {}), title });
}

/** Restores an archive (`POST /nodes/{node}/qemu` with `archive`) to the same or a new VMID. */
export function restoreBackup(ctx: OperationsContext, input: Input<'restore'>): Promise<JobView> {
  const { profileId, node, vmid, archive } = input;
  const call = createGuestCall(node, {
    vmid,
    archive,
    storage: input.storage,
    force: input.force ? 1 : undefined,
    unique: input.unique ? 1 : undefined,
    start: input.start ? 1 : undefined,
  });
  return ctx.task(profileId, call, 'restore', jobTitle('restore', { archive: archive.slice(archive.lastIndexOf('/') + 1), vmid }), { node, vmid });
}

export function deleteVolume(ctx: OperationsContext, input: Input<'deleteVolume'>): Promise<JobView> {
  const { profileId, node, volume } = input;
  const storage = volume.slice(0, volume.indexOf(':'));
  return ctx.task(
    profileId,
    deleteVolumeCall(node, storage, volume),
    'deleteVolume',
    jobTitle('deleteVolume', { volume: volume.slice(volume.indexOf(':') + 1) }),
    { node },
  );
}

async function jobEntries(ctx: OperationsContext, profileId: string): Promise<BackupJobEntry[]> {
  return (await ctx.send(profileId, backupJobsCall())).filter((entry) => entry.type === undefined || entry.type === 'vzdump');
}

function jobNotFound(id: string): IpcError {
  return new IpcError('NOT_FOUND', {
    en: `The backup job ${id} does not exist (any more). Refresh the list of backup jobs.`,
    fr: `La tâche de sauvegarde ${id} n’existe pas (ou plus). Actualisez la liste des tâches de sauvegarde.`,
  });
}

export async function listBackupJobs(ctx: OperationsContext, input: Input<'backupJobs'>): Promise<BackupJobView[]> {
  return (await jobEntries(ctx, input.profileId)).map(backupJobView).sort((a, b) => a.id.localeCompare(b.id));
}

/** Creates or replaces a job and answers it as PVE stored it; a job created without an id is found as the one that was not there before. */
export async function saveBackupJob(ctx: OperationsContext, input: Input<'saveBackupJob'>): Promise<BackupJobView> {
  const { profileId, job, create } = input;
  if (!create && job.id === undefined) {
    throw new IpcError('BAD_INPUT', {
      en: 'A backup job to change needs its id. Reopen it from the list and try again.',
      fr: 'Une tâche de sauvegarde à modifier doit avoir son identifiant. Rouvrez-la depuis la liste, puis réessayez.',
    });
  }
  const entries = await jobEntries(ctx, profileId);
  if (create) {
    await ctx.send(profileId, createBackupJobCall(backupJobForm(job)));
  } else {
    const stored = entries.find((entry) => entry.id === job.id);
    if (stored === undefined) throw jobNotFound(job.id ?? '');
    await ctx.send(profileId, updateBackupJobCall(stored.id, backupJobForm(job, stored)));
  }
  const before = new Set(entries.map((entry) => entry.id));
  const after = await jobEntries(ctx, profileId);
  const saved = after.find((entry) => (job.id !== undefined ? entry.id === job.id : !before.has(entry.id)));
  if (saved === undefined) {
    throw new IpcError('BAD_RESPONSE', {
      en: 'PVE accepted the backup job but does not list it. Refresh the list of backup jobs.',
      fr: 'PVE a accepté la tâche de sauvegarde, mais elle ne figure pas dans sa liste. Actualisez la liste des tâches de sauvegarde.',
    });
  }
  return backupJobView(saved);
}

export async function deleteBackupJob(ctx: OperationsContext, input: Input<'deleteBackupJob'>): Promise<null> {
  await ctx.send(input.profileId, deleteBackupJobCall(input.id));
  return null;
}

/**
 * "Run now" as PVE's web UI does it: the job's options to `POST /nodes/{node}/vzdump`
 * on its node, or on every online node; a node where none of its guests lives
 * answers `OK` and starts nothing. A node whose call fails is a failed job of its own.
 */
export async function runBackupJob(ctx: OperationsContext, input: Input<'runBackupJob'>): Promise<JobView[]> {
  const { profileId, id } = input;
  const [entries, resources] = await Promise.all([jobEntries(ctx, profileId), ctx.send(profileId, clusterResourcesCall('node'))]);
  const entry = entries.find((candidate) => candidate.id === id);
  if (entry === undefined) throw jobNotFound(id);
  const online = nodeCapacities(resources)
    .filter((node) => node.online)
    .map((node) => node.node);
  if (entry.node !== undefined && !online.includes(entry.node)) {
    throw new IpcError('UNREACHABLE', {
      en: `Node ${entry.node} of backup job ${id} is not online. Run the job when it is back.`,
      fr: `Le nœud ${entry.node} de la tâche de sauvegarde ${id} est hors ligne. Lancez la tâche quand il sera de nouveau en ligne.`,
    });
  }
  const nodes = entry.node !== undefined ? [entry.node] : online;
  const form = runNowForm(entry);
  const cluster = await ctx.clusterName(profileId);
  const jobs: JobView[] = [];
  for (const node of nodes) {
    const title = jobTitle('backupJobRun', { job: id, node });
    try {
      const result = await ctx.send(profileId, vzdumpCall(node, form));
      if (result.started) jobs.push(ctx.jobs.followTask(profileId, result.upid, { ...(cluster !== undefined ? { cluster } : {}), title }));
    } catch (error) {
      // The payload keeps the message's translations, so the failed job shows it in the window's language.
      const { code, ...message } = toErrorPayload(error, { method: 'operations.runBackupJob', logger: ctx.deps.logger });
      const subject = { profileId, node, ...(cluster !== undefined ? { cluster } : {}) };
      jobs.push(ctx.jobs.start('operations.backupJobRun', title, subject, () => Promise.reject(new IpcError(code, message))));
    }
  }
  return jobs;
}
