import type { JobLogChunk, JobSubject, JobTitle, JobView } from '../../../shared/domain/jobs';
import type { EventHub } from '../ipc';
import type { Logger } from '../log';
import type { ClusterSessions } from './cluster-sessions';
import { JobRegistry, type JobNotifier, type JobWork } from './job-registry';
import { PveTaskJobs } from './pve-task-jobs';

export interface JobsServiceOptions {
  events: EventHub;
  sessions: ClusterSessions;
  logger: Logger;
  notifier?: JobNotifier;
  /** How often the connected clusters' task lists are read; default 3 s. */
  pollMs?: number;
  /** How often a task this app started is followed; default 1 s. */
  followMs?: number;
}

/** The jobs every feature starts and the pane lists: the app's own work and the clusters' tasks. */
export class JobsService {
  private readonly registry: JobRegistry;
  private readonly tasks: PveTaskJobs;

  constructor(options: JobsServiceOptions) {
    this.registry = new JobRegistry({
      emit: (delta) => options.events.emit('jobs.changed', delta),
      ...(options.notifier !== undefined ? { notifier: options.notifier } : {}),
    });
    this.tasks = new PveTaskJobs({
      registry: this.registry,
      sessions: options.sessions,
      logger: options.logger,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.followMs !== undefined ? { followMs: options.followMs } : {}),
    });
    this.tasks.startPolling();
  }

  /** Runs `work` as a job the user can watch and cancel; `work` gets the signal, a progress and a log reporter. */
  start(kind: string, title: JobTitle, subject: JobSubject, work: JobWork): JobView {
    return this.registry.start(kind, title, subject, work);
  }

  /** Follows a PVE task this app started (the UPID its call answered) as the user's own job. */
  followTask(profileId: string, upid: string, options: { cluster?: string; title?: JobTitle } = {}): JobView {
    return this.tasks.follow(profileId, upid, options.cluster, options.title);
  }

  /** The job once it has ended (for work that waits on the tasks it started); undefined when it was forgotten first. */
  whenEnded(id: string): Promise<JobView | undefined> {
    return this.registry.whenEnded(id);
  }

  list(): JobView[] {
    return this.registry.list();
  }

  cancel(id: string): Promise<{ cancelled: boolean }> {
    return this.registry.cancel(id);
  }

  async log(id: string, from: number, limit: number): Promise<JobLogChunk> {
    const view = this.registry.view(id);
    // A task only seen in the cluster's list is read when someone looks at its log, from where the last look stopped.
    if (view?.origin === 'cluster' && view.upid !== undefined && view.subject.profileId !== undefined) {
      await this.tasks.catchUpLog(view.subject.profileId, id, view.upid);
    }
    return this.registry.log(id, from, limit);
  }

  close(): void {
    this.tasks.close();
    this.registry.close();
  }
}
