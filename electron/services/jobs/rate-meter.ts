import type { JobProgress } from '../../../shared/domain/jobs';

/** Rates are averaged over this window: long enough to smooth bursts, short enough to follow a slowdown. */
const windowMs = 10_000;

/**
 * Turns successive progress reports into a rate and an ETA. Only samples
 * of the same unit and total count: a job that switches phase starts over.
 */
export class RateMeter {
  private samples: { at: number; done: number }[] = [];
  private key = '';

  constructor(private readonly now: () => number = Date.now) {}

  measure(progress: JobProgress): JobProgress {
    const at = this.now();
    const key = `${progress.unit}/${progress.total ?? ''}`;
    if (key !== this.key || (this.samples.at(-1)?.done ?? 0) > progress.done) this.samples = [];
    this.key = key;
    this.samples.push({ at, done: progress.done });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= windowMs) this.samples.shift();
    const first = this.samples[0];
    // A rate the work reports itself (PVE prints one for migrations and backups) beats our own estimate.
    const rate = progress.rate ?? (first !== undefined && at - first.at >= 500 ? ((progress.done - first.done) * 1000) / (at - first.at) : undefined);
    if (rate === undefined || !(rate > 0)) return progress;
    const measured: JobProgress = { ...progress, rate };
    if (progress.total !== undefined) measured.etaSeconds = Math.max(0, Math.round((progress.total - progress.done) / rate));
    return measured;
  }
}
