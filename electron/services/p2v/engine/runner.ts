import type { JobTitle } from '../../../../shared/domain/jobs';
import { p2vStepIds, type P2vArtifact, type P2vJobView, type P2vStepId, type P2vStepView } from '../../../../shared/domain/p2v';
import { DescribedError, type Sentence } from '../../../../shared/text/sentence';
import { messageOf, messageSentenceOf, sameArtifact } from './artifacts';
import type { P2vJobRecord } from './job-record';
import { buildReport } from './report';
import { rollBack, type ArtifactCleaner } from './rollback';

/** What a step gets: the job's record to read and fill, and how to say what it does. */
export interface StepRun {
  readonly record: P2vJobRecord;
  readonly signal: AbortSignal;
  /** Writes the record and tells the wizard (after a step changed the working state). */
  save(): Promise<void>;
  /** Records something the job is about to create, before creating it, so a crash in between leaves nothing unknown. */
  created(artifact: P2vArtifact): Promise<void>;
  /** Takes an artifact off the list once the job removed it itself (the work dir after the import). */
  removed(artifact: P2vArtifact): Promise<void>;
  /** Bytes done of a total, for the task pane's bar, rate and ETA. */
  progress(done: number, total: number): void;
  log(line: string): void;
}

export interface StepOutcome {
  skipped?: boolean;
  bytes?: number;
  detail?: JobTitle;
}

export type StepWork = (run: StepRun) => Promise<StepOutcome | undefined>;
export type StepTable = Record<P2vStepId, StepWork>;

/** Why a run stopped without failing: the app is closing, so the job waits as `interrupted` (nothing rolled back). */
export class Interruption extends DescribedError {
  constructor() {
    super({
      en: 'The app stopped while the migration ran; resume it to continue.',
      fr: 'L’application s’est arrêtée pendant la migration ; reprenez-la pour continuer.',
    });
    this.name = 'Interruption';
  }
}

/** The steps of one run and what they hold open while it lasts (the source's NBD export). */
export interface RunSession {
  steps: StepTable;
  /** Called once when the run stops, whatever the outcome, before the final state is written. */
  close(): Promise<void>;
}

export interface RunnerOptions {
  open(run: StepRun): RunSession;
  cleaner: ArtifactCleaner;
  /** Writes the record and emits `p2v.changed`; `urgent` false for progress, which the caller throttles. */
  persist(record: P2vJobRecord, urgent: boolean): Promise<void>;
  /** The test seam of failure injection: throwing from it fails that step. */
  beforeStep?: (id: P2vStepId, job: P2vJobView) => void | Promise<void>;
  now?: () => Date;
}

export interface RunContext {
  signal: AbortSignal;
  progress(done: number, total: number): void;
  log(line: string): void;
}

/** Each step as the failure names it; the French names the step as the wizard's progress list does. */
const stepNames: Record<P2vStepId, Sentence> = {
  inspect: { en: 'Inspecting the source', fr: 'L’étape « Inspecter la source »' },
  prepare: { en: 'Preparing the node', fr: 'L’étape « Préparer le nœud »' },
  transfer: { en: 'The transfer', fr: 'L’étape « Copier et convertir »' },
  verify: { en: 'The verification', fr: 'L’étape « Vérifier la copie »' },
  'create-vm': { en: 'Creating the VM', fr: 'L’étape « Créer la VM »' },
  'import-disk': { en: 'Importing the disk', fr: 'L’étape « Attacher le disque »' },
  configure: { en: 'Configuring the VM', fr: 'L’étape « Configurer la VM »' },
  start: { en: 'Starting the VM', fr: 'L’étape « Démarrer la VM »' },
};

/**
 * Runs a migration's unfinished steps in order, recording each one's state, times and bytes before and after.
 * A failure or a cancel rolls back what the job created, newest first, and says what was cleaned; an interruption
 * (the app closing) leaves everything as it is for a resume. Throws the failure, so the task pane shows it.
 */
export async function runMigration(record: P2vJobRecord, context: RunContext, options: RunnerOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  const view = record.view;
  const touch = (): void => {
    view.updatedAt = now().toISOString();
  };
  const persist = async (urgent = true): Promise<void> => {
    touch();
    await options.persist(record, urgent);
  };
  const run: StepRun = {
    record,
    signal: context.signal,
    save: () => persist(),
    created: async (artifact) => {
      view.created.push(artifact);
      await persist();
    },
    removed: async (artifact) => {
      view.created = view.created.filter((entry) => !sameArtifact(entry, artifact));
      await persist();
    },
    progress: (done, total) => {
      context.progress(done, total);
      const step = view.steps.find((candidate) => candidate.state === 'running');
      if (step !== undefined) step.bytes = done;
      void persist(false).catch(() => undefined);
    },
    log: (line) => context.log(line),
  };

  const session = options.open(run);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await session.close().catch((error: unknown) => context.log(`Could not close the source: ${messageOf(error)}.`));
  };
  let current: P2vStepView | undefined;
  try {
    for (const id of p2vStepIds) {
      const step = stepOf(view, id);
      if (step.state === 'done' || step.state === 'skipped') continue;
      current = step;
      throwIfStopped(context.signal);
      await options.beforeStep?.(id, structuredClone(view));
      Object.assign(step, { state: 'running', startedAt: now().toISOString() });
      delete step.endedAt;
      context.log(`${stepNames[id].en}…`);
      await persist();
      const outcome = await session.steps[id](run);
      throwIfStopped(context.signal);
      Object.assign(step, {
        state: outcome?.skipped === true ? 'skipped' : 'done',
        endedAt: now().toISOString(),
        ...(outcome?.bytes !== undefined ? { bytes: outcome.bytes } : {}),
        ...(outcome?.detail !== undefined ? { detail: outcome.detail } : {}),
      });
      await persist();
      current = undefined;
    }
    await close();
    view.state = 'succeeded';
    view.report = buildReport(record, now());
    await persist();
  } catch (error) {
    await close();
    const reason = context.signal.aborted ? context.signal.reason : error;
    if (reason instanceof Interruption) {
      // The step starts over on resume; what it wrote stays (the transfer resumes from it).
      if (current !== undefined) Object.assign(current, { state: 'pending' });
      view.state = 'interrupted';
      await persist();
      throw reason;
    }
    const cancelled = context.signal.aborted;
    if (current !== undefined) Object.assign(current, { state: 'failed', endedAt: now().toISOString() });
    const what: Sentence = current === undefined ? { en: 'The migration', fr: 'La migration' } : stepNames[current.id];
    const why = messageSentenceOf(error);
    // Both French subjects (l’étape, la migration) are feminine.
    const cause: Sentence = cancelled ? { en: 'was cancelled', fr: 'a été annulée' } : { en: `failed: ${why.en}`, fr: `a échoué : ${why.fr}` };
    // The job stays `running` until the rollback is over: whoever sees it failed sees nothing left of it.
    context.log(`${what.en} ${cause.en}.`);
    // A full disk must not stop the rollback: the cluster matters more than the record.
    const persistQuietly = (): Promise<void> =>
      persist().catch((saveError: unknown) => context.log(`Could not save the job's state: ${messageOf(saveError)}.`));
    const outcome = await rollBack(record, options.cleaner, (line) => context.log(line), persistQuietly);
    view.state = cancelled ? 'cancelled' : 'failed';
    const failure: Sentence = { en: `${what.en} ${cause.en}. ${outcome.en}`, fr: `${what.fr} ${cause.fr}. ${outcome.fr}` };
    view.error = failure.en;
    view.errorTranslations = { fr: failure.fr };
    await persistQuietly();
    throw new DescribedError(failure);
  }
}

/** A job cut off while it rolled back (a step failed) cannot resume: a cancel finishes its rollback. */
export function wasRollingBack(record: P2vJobRecord): boolean {
  return record.view.steps.some((step) => step.state === 'failed');
}

/** Sets an interrupted job's unfinished step back to pending, for a resume. */
export function prepareResume(record: P2vJobRecord): void {
  for (const step of record.view.steps) {
    if (step.state === 'running') {
      step.state = 'pending';
      delete step.endedAt;
    }
  }
  record.view.state = 'running';
  delete record.view.error;
  delete record.view.errorTranslations;
  // A crashed run never added its wire bytes; the last transfer figures it wrote hold them.
  record.work.wireBytesBefore = Math.max(record.work.wireBytesBefore, record.view.transfer?.wireBytes ?? 0);
}

function stepOf(view: P2vJobView, id: P2vStepId): P2vStepView {
  let step = view.steps.find((candidate) => candidate.id === id);
  if (step === undefined) {
    step = { id, state: 'pending' };
    view.steps.push(step);
  }
  return step;
}

function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('The migration was stopped.');
}
