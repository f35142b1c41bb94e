import type { JobProgress, JobState, JobView } from '../../../shared/domain/jobs';
import { shownMessage } from '../../platform/describe-error';

export const endedStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export function hasEnded(state: JobState): boolean {
  return endedStates.includes(state);
}

/** Newest first; the id breaks ties so the order never flickers between deltas. */
export function newestFirst(a: JobView, b: JobView): number {
  return b.startedAt.localeCompare(a.startedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** "1h 02m", "3m 07s", "12s": short enough for a table cell. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(rest)}s`;
  return `${rest}s`;
}

/** Seconds from start to end, or to `now` while it runs. */
export function elapsedSeconds(job: Pick<JobView, 'startedAt' | 'endedAt'>, now: number): number {
  const start = Date.parse(job.startedAt);
  const end = job.endedAt === undefined ? now : Date.parse(job.endedAt);
  return Number.isFinite(start) && Number.isFinite(end) ? (end - start) / 1000 : 0;
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${byteUnits[unit]}`;
}

/** The bar's fill in percent, or undefined while the amount of work is unknown. */
export function percentDone(progress: JobProgress | undefined): number | undefined {
  if (progress === undefined) return undefined;
  if (progress.unit === 'percent') return Math.min(100, Math.max(0, progress.done));
  if (progress.total === undefined || progress.total <= 0) return undefined;
  return Math.min(100, Math.max(0, (progress.done / progress.total) * 100));
}

/** "12.5 MiB/s", "3.0 items/s": the unit comes from the job; percent per second means nothing to a user. */
export function formatRate(progress: JobProgress): string | undefined {
  if (progress.rate === undefined || progress.unit === 'percent') return undefined;
  return progress.unit === 'bytes' ? `${formatBytes(progress.rate)}/s` : `${progress.rate.toFixed(1)}/s`;
}

/** Why a job failed, in the window's language when the app wrote it in that one (PVE's exit status is PVE's). */
export function jobFailure(job: Pick<JobView, 'error' | 'errorTranslations'>): string | undefined {
  return job.error === undefined ? undefined : shownMessage({ message: job.error, translations: job.errorTranslations });
}
