import type { BackupCompression, BackupJobDraft, BackupJobView, BackupMode, Retention } from '../../../../shared/domain/operations';

/** The keep-* limits of a retention, in the order the form lists them. */
export const keepKeys = ['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'] as const;
export type KeepKey = (typeof keepKeys)[number];

export type SelectionKind = 'all' | 'guests' | 'pool';

/** What the backup job dialog edits: every field as its control holds it (null for an empty number or choice). */
export interface JobForm {
  enabled: boolean;
  schedule: string;
  /** Empty for every node. */
  node: string;
  storage: string | null;
  mode: BackupMode;
  compress: BackupCompression;
  selection: SelectionKind;
  exclude: number[];
  vmids: number[];
  pool: string | null;
  keepAll: boolean;
  keep: Record<KeepKey, number | null>;
  notesTemplate: string;
  comment: string;
}

/** PVE's web UI fills a new job's notes template with the guest's name. */
const defaultNotesTemplate = '{{guestname}}';

/** The form for a new job (PVE's web UI defaults: Saturday night is a usual start), or for editing `job`. */
export function jobForm(job?: BackupJobView): JobForm {
  const keep = Object.fromEntries(keepKeys.map((key) => [key, job?.retention?.[key] ?? null])) as Record<KeepKey, number | null>;
  const selection = job?.selection ?? { kind: 'all', exclude: [] };
  return {
    enabled: job?.enabled ?? true,
    schedule: job?.schedule ?? 'sat 02:00',
    node: job?.node ?? '',
    storage: job?.storage ?? null,
    mode: job?.mode ?? 'snapshot',
    compress: job?.compress ?? 'zstd',
    selection: selection.kind,
    exclude: selection.kind === 'all' ? [...selection.exclude] : [],
    vmids: selection.kind === 'guests' ? [...selection.vmids] : [],
    pool: selection.kind === 'pool' ? selection.pool : null,
    keepAll: job?.retention?.keepAll === true,
    keep,
    notesTemplate: job === undefined ? defaultNotesTemplate : (job.notesTemplate ?? ''),
    comment: job?.comment ?? '',
  };
}

export type JobFormProblem = 'schedule' | 'storage' | 'vmids' | 'pool';

/** The retention the form says, or undefined to leave it to the storage. */
function retention(form: JobForm): Retention | undefined {
  if (form.keepAll) return { keepAll: true };
  const limits: Retention = {};
  for (const key of keepKeys) {
    const value = form.keep[key];
    if (value !== null && value > 0) limits[key] = value;
  }
  return Object.keys(limits).length === 0 ? undefined : limits;
}

/** The job to save, or the first field that keeps it from being saved. */
export function jobFromForm(form: JobForm, id?: string): { job: BackupJobDraft } | { problem: JobFormProblem } {
  const schedule = form.schedule.trim();
  if (schedule === '') return { problem: 'schedule' };
  if (form.storage === null || form.storage === '') return { problem: 'storage' };
  if (form.selection === 'guests' && form.vmids.length === 0) return { problem: 'vmids' };
  if (form.selection === 'pool' && (form.pool === null || form.pool === '')) return { problem: 'pool' };
  const selection: BackupJobDraft['selection'] =
    form.selection === 'guests'
      ? { kind: 'guests', vmids: [...form.vmids] }
      : form.selection === 'pool'
        ? { kind: 'pool', pool: form.pool ?? '' }
        : { kind: 'all', exclude: [...form.exclude] };
  const limits = retention(form);
  const notesTemplate = form.notesTemplate.trim();
  const comment = form.comment.trim();
  return {
    job: {
      ...(id === undefined ? {} : { id }),
      enabled: form.enabled,
      schedule,
      ...(form.node === '' ? {} : { node: form.node }),
      storage: form.storage,
      mode: form.mode,
      compress: form.compress,
      selection,
      ...(limits === undefined ? {} : { retention: limits }),
      ...(notesTemplate === '' ? {} : { notesTemplate }),
      ...(comment === '' ? {} : { comment }),
    },
  };
}
