import { randomBytes } from 'node:crypto';
import type { JobLogChunk, JobProgress, JobState, JobSubject, JobTitle, JobView, JobsDelta } from '../../../shared/domain/jobs';
import { IpcError } from '../../../shared/ipc/errors';
import { DescribedError } from '../../../shared/text/sentence';
import { DeltaBatcher } from './delta-batcher';
import { JobLog, defaultJobLogLimits, type JobLogLimits } from './job-log';
import { RateMeter } from './rate-meter';

/** What a job's work receives: the signal that says stop, and where to report progress and log lines. */
export interface JobContext {
  signal: AbortSignal;
  progress(progress: JobProgress): void;
  log(line: string): void;
}

export type JobWork = (context: JobContext) => Promise<void>;

/** Told when a job the user started ends; Electron shows a system notification, the web host passes none. */
export interface JobNotifier {
  jobEnded(job: JobView): void;
}

export interface JobRegistryOptions {
  emit(delta: JobsDelta): void;
  notifier?: JobNotifier;
  /**
   * The app's finished jobs kept for the pane; older ones are forgotten. A
   * cluster's tasks are bounded by the part of its task list that is read.
   */
  maxFinished?: number;
  logLimits?: JobLogLimits;
  now?: () => number;
}

/** What a job driven from outside (a PVE task) may change. */
export type JobPatch = Partial<
  Pick<JobView, 'state' | 'progress' | 'endedAt' | 'error' | 'errorTranslations' | 'warnings' | 'cancellable' | 'user' | 'origin' | 'title' | 'outcome'>
>;

interface Entry {
  view: JobView;
  log: JobLog;
  meter: RateMeter;
  cancel: () => Promise<boolean>;
}

const finalStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export function isFinal(state: JobState): boolean {
  return finalStates.includes(state);
}

/**
 * Every job the pane shows, the app's own and the clusters' tasks, with
 * their logs; sends what changed as coalesced deltas and forgets the oldest
 * finished jobs beyond a bound.
 */
export class JobRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Finished jobs in the order they ended, oldest first. */
  private readonly finished = new Set<string>();
  /** Who waits for a job's end (`whenEnded`), by job id. */
  private readonly waiters = new Map<string, ((view: JobView | undefined) => void)[]>();
  private readonly batcher: DeltaBatcher;
  private readonly maxFinished: number;
  private readonly now: () => number;

  constructor(private readonly options: JobRegistryOptions) {
    this.maxFinished = options.maxFinished ?? 500;
    this.now = options.now ?? Date.now;
    this.batcher = new DeltaBatcher(() => this.flush());
  }

  /** Runs `work` as an app job; its promise settling ends the job, `cancel` aborts its signal. */
  start(kind: string, title: JobTitle, subject: JobSubject, work: JobWork, options: { user?: string } = {}): JobView {
    const id = `app:${randomBytes(16).toString('hex')}`;
    const controller = new AbortController();
    const cancel = (): Promise<boolean> => {
      if (controller.signal.aborted) return Promise.resolve(false);
      controller.abort(new IpcError('CANCELLED', { en: 'The job was cancelled.', fr: 'La tâche a été annulée.' }));
      return Promise.resolve(true);
    };
    const view: JobView = {
      id,
      kind,
      title,
      subject,
      origin: 'app',
      state: 'running',
      startedAt: new Date(this.now()).toISOString(),
      cancellable: true,
      ...(options.user !== undefined ? { user: options.user } : {}),
    };
    this.add(view, cancel);
    const context: JobContext = {
      signal: controller.signal,
      progress: (progress) => this.update(id, { progress }),
      log: (line) => this.appendLog(id, [line]),
    };
    void Promise.resolve()
      .then(() => work(context))
      .then(
        () => this.end(id, controller.signal.aborted ? { state: 'cancelled' } : { state: 'succeeded' }),
        (error: unknown) => this.end(id, controller.signal.aborted ? { state: 'cancelled' } : { state: 'failed', ...failureOf(error) }),
      );
    return this.view(id) ?? view;
  }

  /** Adds a job someone else runs (a PVE task); `cancel` asks it to stop and says whether it was still running. */
  add(view: JobView, cancel: () => Promise<boolean>): void {
    this.entries.set(view.id, { view, log: new JobLog(this.options.logLimits ?? defaultJobLogLimits), meter: new RateMeter(this.now), cancel });
    if (isFinal(view.state)) this.markFinished(view);
    this.batcher.upserted(view.id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  view(id: string): JobView | undefined {
    return this.entries.get(id)?.view;
  }

  update(id: string, patch: JobPatch): void {
    const entry = this.entries.get(id);
    if (!entry || isFinal(entry.view.state)) return;
    const next: JobView = { ...entry.view, ...patch };
    if (patch.progress !== undefined) next.progress = entry.meter.measure(patch.progress);
    entry.view = next;
    this.batcher.upserted(id);
    if (isFinal(next.state)) this.ended(entry);
  }

  /** Ends a job: not cancellable any more, its end time set. */
  end(id: string, patch: JobPatch & { state: JobState }): void {
    const view = this.entries.get(id)?.view;
    if (!view) return;
    const progress =
      patch.state === 'succeeded' && view.progress?.total !== undefined ? { progress: { ...view.progress, done: view.progress.total, etaSeconds: 0 } } : {};
    this.update(id, { ...progress, cancellable: false, endedAt: new Date(this.now()).toISOString(), ...patch });
  }

  /** The job once it has ended; undefined when it is forgotten (or unknown) before. */
  whenEnded(id: string): Promise<JobView | undefined> {
    const view = this.entries.get(id)?.view;
    if (view === undefined || isFinal(view.state)) return Promise.resolve(view);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  appendLog(id: string, lines: readonly string[]): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    for (const line of lines) entry.log.append(line);
  }

  /** Lines written so far, for followers that only append what is new. */
  logLength(id: string): number {
    return this.entries.get(id)?.log.length ?? 0;
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.wake(id, undefined);
    this.finished.delete(id);
    this.batcher.gone(id);
  }

  /** Newest first. */
  list(): JobView[] {
    return [...this.entries.values()].map((entry) => entry.view).sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
  }

  async cancel(id: string): Promise<{ cancelled: boolean }> {
    const entry = this.entries.get(id);
    if (!entry) throw jobNotListed();
    if (isFinal(entry.view.state)) return { cancelled: false };
    return { cancelled: await entry.cancel() };
  }

  log(id: string, from: number, limit: number): JobLogChunk {
    const entry = this.entries.get(id);
    if (!entry) throw jobNotListed();
    return { id, ...entry.log.read(from, limit), complete: isFinal(entry.view.state) };
  }

  close(): void {
    this.batcher.close();
  }

  private ended(entry: Entry): void {
    this.markFinished(entry.view);
    this.wake(entry.view.id, entry.view);
    if (entry.view.origin === 'app') this.options.notifier?.jobEnded(entry.view);
  }

  private wake(id: string, view: JobView | undefined): void {
    const waiting = this.waiters.get(id);
    this.waiters.delete(id);
    for (const resolve of waiting ?? []) resolve(view);
  }

  private markFinished(view: JobView): void {
    // A cluster's task forgotten here would come back with the next poll of its list: only the app's own count.
    if (view.origin !== 'app') return;
    this.finished.add(view.id);
    for (const oldest of this.finished) {
      if (this.finished.size <= this.maxFinished) break;
      this.remove(oldest);
    }
  }

  private flush(): void {
    const { changed, removed } = this.batcher.take();
    const upserted = changed.flatMap((id) => {
      const view = this.entries.get(id)?.view;
      return view ? [view] : [];
    });
    if (upserted.length > 0 || removed.length > 0) this.options.emit({ upserted, removed });
  }
}

/** A job asked for by id that is not (or no longer) in the registry. */
function jobNotListed(): IpcError {
  return new IpcError('NOT_FOUND', {
    en: 'This job is no longer listed. Refresh the task list.',
    fr: 'Cette tâche ne figure plus dans la liste. Actualisez la liste des tâches.',
  });
}

/** Why a job failed, in the languages its error was written in. */
function failureOf(error: unknown): Pick<JobView, 'error' | 'errorTranslations'> {
  if (!(error instanceof DescribedError)) return { error: error instanceof Error ? error.message : String(error) };
  const { message, translations } = error.carried();
  return translations === undefined ? { error: message } : { error: message, errorTranslations: translations };
}
