import type { BackupCompression, BackupJobDraft, BackupJobView, BackupMode, BackupSelection, Retention } from '../../../shared/domain/operations';
import { backupCompressions, backupModes } from '../../../shared/domain/operations';
import { parsePropertyString } from '../../../shared/pve/guest-config';
import type { BackupJobEntry, FormValue } from '../pve';

/** `prune-backups` keys and the Retention fields they fill. */
const retentionKeys = [
  ['keep-last', 'keepLast'],
  ['keep-hourly', 'keepHourly'],
  ['keep-daily', 'keepDaily'],
  ['keep-weekly', 'keepWeekly'],
  ['keep-monthly', 'keepMonthly'],
  ['keep-yearly', 'keepYearly'],
] as const;

/** PVE's `prune-backups`, a property string (`keep-last=2,keep-weekly=4`) or, from the API, already an object. */
export function parseRetention(value: BackupJobEntry['prune-backups']): Retention | undefined {
  if (value === undefined) return undefined;
  const fields = typeof value === 'string' ? parsePropertyString(value) : Object.fromEntries(Object.entries(value).map(([key, v]) => [key, String(v)]));
  const retention: Retention = {};
  for (const [pveKey, key] of retentionKeys) {
    const count = Number(fields[pveKey]);
    if (Number.isInteger(count) && count > 0) retention[key] = count;
  }
  if (fields['keep-all'] === '1') retention.keepAll = true;
  return Object.keys(retention).length > 0 ? retention : undefined;
}

export function printRetention(retention: Retention): string | undefined {
  if (retention.keepAll === true) return 'keep-all=1';
  const parts = retentionKeys.flatMap(([pveKey, key]) => (retention[key] !== undefined ? [`${pveKey}=${retention[key]}`] : []));
  return parts.length > 0 ? parts.join(',') : undefined;
}

function vmidList(text: string | undefined): number[] {
  return (text ?? '')
    .split(/[,;\s]+/)
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
}

function selectionOf(entry: BackupJobEntry): BackupSelection {
  if (entry.pool !== undefined && entry.pool.length > 0) return { kind: 'pool', pool: entry.pool };
  if (entry.all === true) return { kind: 'all', exclude: vmidList(entry.exclude) };
  return { kind: 'guests', vmids: vmidList(entry.vmid) };
}

/** vzdump's `compress`: `1` is the old spelling of lzo, absent is none. */
function compressionOf(value: string | number | undefined): BackupCompression {
  const text = String(value ?? '0');
  if (text === '1') return 'lzo';
  return backupCompressions.find((known) => known === text) ?? '0';
}

function modeOf(value: string | undefined): BackupMode {
  return backupModes.find((known) => known === value) ?? 'snapshot';
}

/** A job of `GET /cluster/backup` as the renderer shows it; vzdump's defaults where the job leaves an option out. */
export function backupJobView(entry: BackupJobEntry): BackupJobView {
  const retention = parseRetention(entry['prune-backups']);
  return {
    id: entry.id,
    enabled: entry.enabled ?? true,
    schedule: entry.schedule ?? '',
    storage: entry.storage ?? 'local',
    mode: modeOf(entry.mode),
    compress: compressionOf(entry.compress),
    selection: selectionOf(entry),
    ...(entry.node !== undefined ? { node: entry.node } : {}),
    ...(retention !== undefined ? { retention } : {}),
    ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
    ...(entry['notes-template'] !== undefined ? { notesTemplate: entry['notes-template'] } : {}),
  };
}

function selectionForm(selection: BackupSelection): Record<string, FormValue> {
  switch (selection.kind) {
    case 'all':
      return { all: 1, exclude: selection.exclude.length > 0 ? selection.exclude.join(',') : undefined };
    case 'guests':
      return { all: 0, vmid: selection.vmids.join(',') };
    case 'pool':
      return { all: 0, pool: selection.pool };
  }
}

/** Options a job may lack; an update names those the draft leaves out in `delete`, since PVE keeps what a PUT does not send. */
const optionalKeys = ['node', 'exclude', 'prune-backups', 'comment', 'notes-template'] as const;

/**
 * The form of `POST /cluster/backup` (with the id) or `PUT /cluster/backup/{id}`
 * (with `delete` for the options the stored job has and the draft dropped).
 * Empty texts count as absent.
 */
export function backupJobForm(job: BackupJobDraft, stored?: BackupJobEntry): Record<string, FormValue> {
  const create = stored === undefined;
  const retention = job.retention !== undefined ? printRetention(job.retention) : undefined;
  const form: Record<string, FormValue> = {
    ...(create ? { id: job.id } : {}),
    enabled: job.enabled ? 1 : 0,
    schedule: job.schedule,
    storage: job.storage,
    mode: job.mode,
    compress: job.compress,
    node: job.node,
    ...selectionForm(job.selection),
    'prune-backups': retention,
    comment: job.comment !== undefined && job.comment.length > 0 ? job.comment : undefined,
    'notes-template': job.notesTemplate !== undefined && job.notesTemplate.length > 0 ? job.notesTemplate : undefined,
  };
  if (create) return form;
  const dropped = optionalKeys.filter((key) => form[key] === undefined && stored[key] !== undefined && !(key === 'exclude' && job.selection.kind !== 'all'));
  return { ...form, delete: dropped.length > 0 ? dropped.join(',') : undefined };
}

/** Options of a job that only concern its schedule: the web UI's "Run now" leaves them out of vzdump's call. */
const schedulingKeys = new Set(['id', 'type', 'enabled', 'starttime', 'dow', 'schedule', 'node', 'comment', 'next-run', 'repeat-missed', 'digest']);

/**
 * `POST /nodes/{node}/vzdump`'s form for a job run now (pve-manager
 * www/manager6/dc/Backup.js `run_backup_now`): the job's own options as
 * stored, the scheduling ones left out, `all` as 0/1, property strings printed.
 */
export function runNowForm(entry: BackupJobEntry): Record<string, FormValue> {
  const form: Record<string, FormValue> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (schedulingKeys.has(key) || value === undefined || value === null) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') form[key] = value;
    else if (typeof value === 'object')
      form[key] = Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
  }
  form.all = entry.all === true ? 1 : 0;
  return form;
}
