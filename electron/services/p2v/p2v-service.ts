import { randomBytes } from 'node:crypto';
import type { JobTitle } from '../../../shared/domain/jobs';
import type {
  ImageInspection,
  P2vJobView,
  P2vPlan,
  P2vState,
  P2vStepId,
  SshSourceFacts,
  WindowsSwitchResult,
  WorkstationImage,
} from '../../../shared/domain/p2v';
import type { ParsedInput } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/errors';
import { DescribedError, type Sentence } from '../../../shared/text/sentence';
import type { EventHub } from '../ipc';
import type { JobsService } from '../jobs';
import type { Logger } from '../log';
import { sendPveCall } from '../operations';
import { storageContentCall, storagesWithContentCall, type ApiCall } from '../pve';
import type { SecretStore } from '../secrets';
import type { ClusterSessions } from '../sessions';
import type { SshDependencies } from '../ssh';
import { artifactCleaner } from './engine/artifact-cleaner';
import type { ClusterPort, MigrationDeps } from './engine/deps';
import { inspectImage, inspectWorkstationImage } from './engine/inspect-image';
import { JobBook } from './engine/job-book';
import { newJobRecord, type P2vJobRecord } from './engine/job-record';
import { JobStore } from './engine/job-store';
import type { SshSourcePort, WorkstationPort } from './engine/ports';
import { rollBack } from './engine/rollback';
import { Interruption, prepareResume, runMigration, wasRollingBack } from './engine/runner';
import { SourceAccess } from './engine/source-access';
import { migrationSteps } from './engine/steps';
import { workstationPort } from './engine/workstation-port';
import { volumePath } from './node';
import { SshSourceService } from './ssh-source';
import { runWindowsSwitchStep } from './windows';
import { probeImage } from './workstation/image-probe';

export interface P2vServiceOptions {
  configDir: string;
  sessions: ClusterSessions;
  jobs: Pick<JobsService, 'start' | 'cancel' | 'followTask' | 'whenEnded'>;
  events: EventHub;
  logger: Logger;
  /** Where a source server's password or passphrase is kept, under its credential id. */
  secrets: SecretStore;
  /** For SSH sessions to source servers: their host keys are pinned and asked about like the nodes'. */
  ssh: SshDependencies;
  /** Electron's open dialog; the web host has none and `p2v.pickImage` answers `{}`. */
  pickImageFile?: () => Promise<string | undefined>;
  /** Test seam, never reachable over IPC: throwing from it fails that step (failure injection). */
  beforeStep?: (id: P2vStepId, job: P2vJobView) => void | Promise<void>;
  /** Replaces how sources are read (tests). */
  sources?: { workstation?: WorkstationPort; sshSource?: SshSourcePort };
}

interface Running {
  jobId: string;
  /** Settles when the run has stopped and its state is written. */
  done: Promise<void>;
}

/**
 * P2V: migrations of physical servers and disk images into cluster VMs, as jobs of named steps kept in the config
 * folder. A job shows in the task pane while it runs, survives a restart as `interrupted` and resumes from its
 * first unfinished step; a failure or a cancel rolls back what it created. The source is only ever read.
 */
export class P2vService {
  private readonly book: JobBook;
  private readonly loaded: Promise<void>;
  private readonly deps: MigrationDeps;
  private readonly running = new Map<string, Running>();
  /** Interrupted jobs whose cancel is rolling them back now. */
  private readonly rollingBack = new Set<string>();
  /** Aborted when the app stops: running jobs become `interrupted`, nothing is rolled back. */
  private readonly stopping = new AbortController();

  constructor(readonly options: P2vServiceOptions) {
    const { sessions, logger } = options;
    this.book = new JobBook(new JobStore(options.configDir, logger), (view) => options.events.emit('p2v.changed', view), logger);
    this.loaded = this.book.load().catch((error: unknown) => logger.error('p2v.load-failed', { error }));
    const cluster: ClusterPort = {
      client: (profileId) => sessions.client(profileId),
      send: <T>(profileId: string, call: ApiCall<T>) => sendPveCall(sessions.client(profileId), call),
      waitTask: (profileId, upid) => this.waitTask(profileId, upid),
    };
    this.deps = {
      nodeShell: (target) => sessions.ssh(target.profileId, target.node),
      workstation: options.sources?.workstation ?? workstationPort(sessions, probeImage, logger),
      sshSource: options.sources?.sshSource ?? new SshSourceService({ ...options.ssh, sessions, secrets: options.secrets }),
      cluster,
    };
  }

  async pickImage(): Promise<{ path?: string }> {
    const path = await this.options.pickImageFile?.();
    return path === undefined ? {} : { path };
  }

  probeImage(path: string): Promise<WorkstationImage> {
    return this.deps.workstation.probe(path);
  }

  /** qemu-img on the node about the source, before anything is written: a workstation image is served over NBD meanwhile. */
  async inspect(input: ParsedInput<'p2v.inspect'>): Promise<ImageInspection> {
    const { source, profileId, node } = input;
    const signal = new AbortController().signal;
    const target = { profileId, node };
    if (source.kind === 'ssh') return this.deps.sshSource.inspect(source, target, signal);
    const shell = await this.deps.nodeShell(target);
    if (source.kind === 'node-import') {
      return inspectImage(shell, { kind: 'file', path: await volumePath(shell, source.volid, signal), format: source.format }, signal);
    }
    const probed = await this.deps.workstation.probe(source.path);
    if (probed.extents !== undefined && probed.extents.length > 0) {
      throw new IpcError('BAD_FILE', {
        en: 'This VMDK keeps its data in separate extent files, which the node reads only once they are copied there: start the migration, its first step inspects the image after the copy.',
        fr: 'Ce VMDK garde ses données dans des fichiers d’extent séparés, que le nœud ne lit qu’une fois copiés chez lui : démarrez la migration, sa première étape inspecte l’image après la copie.',
      });
    }
    const untracked = { created: () => Promise.resolve(), removed: () => Promise.resolve() };
    return inspectWorkstationImage({ shell, workstation: this.deps.workstation, node: target, path: source.path, format: source.format, signal }, untracked);
  }

  probeSsh(input: ParsedInput<'p2v.probeSsh'>): Promise<{ credentialId: string; facts: SshSourceFacts }> {
    return this.deps.sshSource.probe(input.address, input.auth);
  }

  /** Images on the node's storages with `import` content. */
  async importVolumes(input: ParsedInput<'p2v.importVolumes'>): Promise<{ volid: string; size: number; format: string }[]> {
    const { profileId, node } = input;
    const storages = await this.deps.cluster.send(profileId, storagesWithContentCall(node, 'import'));
    const lists = await Promise.all(
      storages.map((storage) => this.deps.cluster.send(profileId, storageContentCall(node, storage.storage, { content: 'import' }))),
    );
    return lists.flat().map((entry) => ({ volid: entry.volid, size: entry.size ?? 0, format: entry.format ?? 'raw' }));
  }

  async start(plan: ParsedInput<'p2v.start'>): Promise<P2vJobView> {
    await this.loaded;
    // Fails with AUTH_FAILED when the cluster is not connected, before anything is recorded.
    this.options.sessions.client(plan.target.profileId);
    const busy = this.book.list().find((job) => (job.state === 'running' || job.state === 'interrupted') && sameVm(job.plan, plan));
    if (busy !== undefined) {
      throw new IpcError('CONFLICT', {
        en: `Another migration (${busy.state}) is making VM ${plan.target.vmid}. Resume or cancel it, or choose another VMID.`,
        fr: `Une autre migration (${stateFr[busy.state]}) est en train de créer la VM ${plan.target.vmid}. Reprenez-la ou annulez-la, ou choisissez un autre ID de VM.`,
      });
    }
    const record = newJobRecord(randomBytes(16).toString('hex'), plan, new Date());
    await this.book.add(record);
    if (plan.source.kind === 'ssh') this.deps.sshSource.claim(plan.source.credentialId);
    return this.launch(record);
  }

  async list(): Promise<P2vJobView[]> {
    await this.loaded;
    return this.book.list();
  }

  /** A running job is stopped (its remote command killed) and rolled back; an interrupted one is rolled back here. */
  async cancel(id: string): Promise<P2vJobView> {
    const record = await this.record(id);
    const running = this.running.get(id);
    if (running !== undefined) {
      await this.options.jobs.cancel(running.jobId);
      await running.done;
    } else if (needsRollback(record) && !this.rollingBack.has(id)) {
      this.rollingBack.add(id);
      try {
        await this.rollBackInterrupted(record);
      } finally {
        this.rollingBack.delete(id);
      }
    }
    return structuredClone(record.view);
  }

  /** Rolls back a job that is not running: an interrupted one, or one whose rollback left something behind. */
  private async rollBackInterrupted(record: P2vJobRecord): Promise<void> {
    const { id } = record.view;
    const persist = (): Promise<void> => this.book.persist(record, true);
    const outcome = await rollBack(record, artifactCleaner(this.deps), (line) => this.options.logger.info('p2v.rollback', { id, line }), persist);
    // Ended only once the rollback is over: whoever sees it cancelled sees nothing left of it.
    if (record.view.state === 'interrupted') record.view.state = 'cancelled';
    record.view.error = `The migration was cancelled. ${outcome.en}`;
    record.view.errorTranslations = { fr: `La migration a été annulée. ${outcome.fr}` };
    await persist();
    await this.endOfJob(record);
  }

  async resume(id: string): Promise<P2vJobView> {
    const record = await this.record(id);
    if (this.rollingBack.has(id)) {
      throw new IpcError('CONFLICT', {
        en: 'This migration is being cancelled: what it created is being removed.',
        fr: 'Cette migration est en cours d’annulation : ce qu’elle a créé est en train d’être supprimé.',
      });
    }
    if (record.view.state !== 'interrupted') {
      const why = notResumable(record.view.state);
      throw new IpcError('CONFLICT', { en: `This migration cannot be resumed: ${why.en}.`, fr: `Cette migration ne peut pas être reprise : ${why.fr}.` });
    }
    if (wasRollingBack(record)) {
      throw new IpcError('CONFLICT', {
        en: 'The app stopped while this migration was rolling back after a failure: cancel it to finish removing what it created.',
        fr: 'L’application s’est arrêtée pendant le retour arrière de cette migration après un échec : annulez-la pour finir de supprimer ce qu’elle a créé.',
      });
    }
    prepareResume(record);
    await this.book.persist(record, true);
    return this.launch(record);
  }

  /** Forgets an ended job's record (nothing on the cluster); an interrupted one must be resumed or cancelled first. */
  async forget(id: string): Promise<{ forgotten: boolean }> {
    await this.loaded;
    const record = this.book.get(id);
    if (record === undefined) return { forgotten: false };
    if (record.view.state === 'running' || record.view.state === 'interrupted') {
      throw new IpcError('CONFLICT', {
        en: `This migration is ${record.view.state}: cancel it first (that removes what it created), then forget it.`,
        fr: `Cette migration est ${stateFr[record.view.state]} : annulez-la d’abord (cela supprime ce qu’elle a créé), puis oubliez-la.`,
      });
    }
    await this.book.remove(id);
    await this.forgetCredential(record);
    return { forgotten: true };
  }

  windowsSwitch(input: ParsedInput<'p2v.windowsSwitch'>): Promise<WindowsSwitchResult> {
    return runWindowsSwitchStep({ client: this.options.sessions.client(input.profileId), jobs: this.options.jobs }, input);
  }

  /** Stops running jobs without rolling back (they wait as `interrupted`), writes every record, and forgets the logins of SSH probes that no migration took. */
  async close(): Promise<void> {
    this.stopping.abort(new Interruption());
    await Promise.all([...this.running.values()].map((running) => running.done));
    await this.book.flush();
    await this.deps.sshSource.close();
  }

  private async record(id: string): Promise<P2vJobRecord> {
    await this.loaded;
    const record = this.book.get(id);
    if (record === undefined) {
      throw new IpcError('NOT_FOUND', {
        en: 'This migration is no longer listed (it was forgotten, maybe in another window). Refresh the list.',
        fr: 'Cette migration n’est plus dans la liste (elle a été oubliée, peut-être dans une autre fenêtre). Actualisez la liste.',
      });
    }
    return record;
  }

  /** Runs the job's unfinished steps as a task-pane job. */
  private launch(record: P2vJobRecord): P2vJobView {
    if (this.stopping.signal.aborted) {
      throw new IpcError('CANCELLED', {
        en: 'The app is closing; the migration was not started.',
        fr: 'L’application se ferme ; la migration n’a pas été démarrée.',
      });
    }
    const { target } = record.view.plan;
    const title: JobTitle = { key: 'p2v.job.title', params: { name: target.name, vmid: target.vmid } };
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const job = this.options.jobs.start('p2v.migrate', title, { profileId: target.profileId, node: target.node, vmid: target.vmid }, async (context) => {
      const signal = AbortSignal.any([context.signal, this.stopping.signal]);
      try {
        await runMigration(
          record,
          { signal, progress: (done, total) => context.progress({ done, total, unit: 'bytes' }), log: (line) => context.log(line) },
          {
            open: (run) => {
              const access = new SourceAccess(run, this.deps);
              return { steps: migrationSteps(this.deps, access), close: () => access.close() };
            },
            cleaner: artifactCleaner(this.deps),
            persist: (changed, urgent) => this.book.persist(changed, urgent),
            ...(this.options.beforeStep !== undefined ? { beforeStep: this.options.beforeStep } : {}),
          },
        );
      } finally {
        if (record.view.state !== 'running' && record.view.state !== 'interrupted') await this.endOfJob(record);
        delete record.view.jobId;
        await this.book.persist(record, true).catch(() => undefined);
        this.running.delete(record.view.id);
        finished();
      }
    });
    record.view.jobId = job.id;
    this.running.set(record.view.id, { jobId: job.id, done });
    void this.book.persist(record, true).catch((error: unknown) => this.options.logger.warn('p2v.record-not-saved', { id: record.view.id, error }));
    return structuredClone(record.view);
  }

  /** An ended job needs the source's password no more. */
  private async endOfJob(record: P2vJobRecord): Promise<void> {
    await this.forgetCredential(record).catch((error: unknown) => this.options.logger.warn('p2v.credential-not-forgotten', { id: record.view.id, error }));
  }

  private async forgetCredential(record: P2vJobRecord): Promise<void> {
    const source = record.view.plan.source;
    if (source.kind === 'ssh') await this.deps.sshSource.forgetCredential(source.credentialId);
  }

  /** Follows a PVE task the job started, in the task pane, to its end; throws its exit status when it failed. */
  private async waitTask(profileId: string, upid: string): Promise<void> {
    const cluster = (await this.options.sessions.connected()).find((candidate) => candidate.profileId === profileId);
    const name = cluster?.clusterName ?? cluster?.name;
    const followed = this.options.jobs.followTask(profileId, upid, name !== undefined ? { cluster: name } : {});
    const ended = await this.options.jobs.whenEnded(followed.id);
    if (ended === undefined) {
      throw new DescribedError({
        en: `The task ${upid} is no longer followed; check it in the cluster's task list`,
        fr: `La tâche ${upid} n’est plus suivie ; consultez-la dans la liste des tâches du cluster`,
      });
    }
    if (ended.state !== 'succeeded') {
      // PVE's exit status is PVE's own text, the same in every language.
      const kind = ended.kind.replace(/^pve:/, '');
      const why = ended.error ?? ended.state;
      throw new DescribedError({ en: `PVE's task ${kind} failed: ${why}`, fr: `La tâche PVE ${kind} a échoué : ${why}` });
    }
  }
}

/** A job's state as a French sentence says it of a migration (feminine). */
const stateFr: Record<P2vState, string> = {
  running: 'en cours',
  interrupted: 'interrompue',
  succeeded: 'terminée',
  failed: 'échouée',
  cancelled: 'annulée',
};

/** Why a job that is not interrupted cannot be resumed. */
function notResumable(state: Exclude<P2vState, 'interrupted'>): Sentence {
  if (state === 'running') return { en: 'it is running', fr: 'elle est en cours' };
  const instead = 'démarrez plutôt une nouvelle migration';
  return {
    en: `it ${state === 'succeeded' ? 'succeeded' : `was ${state} and rolled back`}; start a new migration instead`,
    fr:
      state === 'succeeded'
        ? `elle a réussi ; ${instead}`
        : `elle ${state === 'failed' ? 'a échoué' : 'a été annulée'}, puis a fait l’objet d’un retour arrière ; ${instead}`,
  };
}

/** Interrupted, or failed/cancelled with something its rollback could not remove (a cancel retries it). */
function needsRollback(record: P2vJobRecord): boolean {
  const { state, created } = record.view;
  return state === 'interrupted' || ((state === 'failed' || state === 'cancelled') && created.length > 0);
}

function sameVm(a: P2vPlan, b: P2vPlan): boolean {
  return a.target.profileId === b.target.profileId && a.target.vmid === b.target.vmid;
}
