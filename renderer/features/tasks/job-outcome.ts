import { useI18n } from 'vue-i18n';
import type { JobView } from '../../../shared/domain/jobs';

/**
 * What an ended job reports beyond its state (a migration's duration and
 * downtime), in the user's language. Main sends raw figures in the outcome's
 * parameters; these are written here, by name: `duration` in seconds,
 * `downtime` in milliseconds.
 */

/** "45 s", "1 min 5 s", "2 h 3 min": the two largest units, enough to read how long it took. */
export function formatSeconds(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours}\u00a0h ${minutes}\u00a0min` : `${hours}\u00a0h`;
  if (minutes > 0) return rest > 0 ? `${minutes}\u00a0min ${rest}\u00a0s` : `${minutes}\u00a0min`;
  return `${rest}\u00a0s`;
}

/** "45 ms" below a second, "1.2 s" above (the locale's decimal separator): how long a guest was paused. */
export function formatMilliseconds(milliseconds: number, locale: string): string {
  const shown = Math.max(0, Math.round(milliseconds));
  if (shown < 1000) return `${shown}\u00a0ms`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(shown / 1000)}\u00a0s`;
}

const paramFormats: Record<string, (value: number, locale: string) => string> = {
  duration: (value) => formatSeconds(value),
  downtime: formatMilliseconds,
};

/** The outcome's parameters with the figures main names written for reading; others as they are. */
export function readableParams(params: Record<string, string | number> | undefined, locale: string): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params ?? {}).map(([name, value]) => {
      const format = paramFormats[name];
      return [name, typeof value === 'number' && format !== undefined ? format(value, locale) : value];
    }),
  );
}

/** The outcome of a job as text, or undefined when it has none (or one this version cannot word). */
export function useJobOutcome() {
  const { t, te, locale } = useI18n();
  return (job: Pick<JobView, 'outcome'>): string | undefined => {
    const outcome = job.outcome;
    if (outcome === undefined || !te(outcome.key)) return undefined;
    return t(outcome.key, readableParams(outcome.params, locale.value));
  };
}
