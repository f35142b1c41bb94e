import type { Translations } from '../text/sentence';

/**
 * Jobs: every long operation the user can watch, whether the app runs it
 * (a bulk power action, an upload, a P2V step) or a cluster does (a PVE task,
 * known by its UPID). The task pane shows them all the same way.
 */

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

/** A title the renderer translates: an i18n key and its parameters. */
export interface JobTitle {
  key: string;
  params?: Record<string, string | number>;
}

/** What a job concerns, as far as it is known. */
export interface JobSubject {
  profileId?: string;
  /** The cluster's name as PVE reports it, else the profile's name. */
  cluster?: string;
  node?: string;
  vmid?: number;
}

export const progressUnits = ['bytes', 'percent', 'items'] as const;
export type ProgressUnit = (typeof progressUnits)[number];

export interface JobProgress {
  done: number;
  /** Absent while the amount of work is unknown (an indeterminate bar). */
  total?: number;
  unit: ProgressUnit;
  /** Units per second, averaged over the last seconds, when it makes sense. */
  rate?: number;
  etaSeconds?: number;
}

export interface JobView {
  /** `app:<32 hex>` for the app's own jobs, `pve:<profile id>:<UPID>` for a cluster's task. */
  id: string;
  /** What kind of work: `pve:<task type>` (e.g. `pve:qmstart`) or an app job kind (e.g. `power.bulk`). */
  kind: string;
  title: JobTitle;
  subject: JobSubject;
  /** Started by this app (and so by this user), or only seen in the cluster's task list. */
  origin: 'app' | 'cluster';
  /** Who runs it: the PVE user (with `!token` when a token did), or the app's signed-in user. */
  user?: string;
  state: JobState;
  progress?: JobProgress;
  /** ISO 8601. */
  startedAt: string;
  endedAt?: string;
  /** Why it failed: PVE's exit status (`command 'qm start 100' failed: …`) or the app's message, in English. */
  error?: string;
  /** The app's message in the other languages, when it wrote them (PVE's exit status has none). */
  errorTranslations?: Translations;
  /** PVE reported warnings (`WARNINGS: N`): it succeeded, but the log deserves a look. */
  warnings?: number;
  /** What the ended job reports beyond its state (a migration's duration and downtime), translated by the renderer. */
  outcome?: JobTitle;
  /** Whether this user may stop it now. */
  cancellable: boolean;
  upid?: string;
}

/** What changed since the last event: only these jobs, never the whole list. */
export interface JobsDelta {
  upserted: JobView[];
  removed: string[];
}

/** A slice of a job's log: lines `from`…`next - 1` (0-based). */
export interface JobLogChunk {
  id: string;
  from: number;
  lines: string[];
  next: number;
  /** The job has ended and `next` is the end of its log. */
  complete: boolean;
}
