import type { JobLogChunk, JobSubject, JobTitle, JobView } from '../../../shared/domain/jobs';
import type { EventHub } from '../ipc/event-hub';
import { JobRegistry, type JobNotifier, type JobWork } from './job-registry';

export interface JobsServiceOptions {
  events: EventHub;
  notifier?: JobNotifier;
}

/** The jobs every feature starts and the pane lists: the app's own work and the clusters' tasks. */
export class JobsService {
  private readonly registry: JobRegistry;

  constructor(options: JobsServiceOptions) {
    this.registry = new JobRegistry({
      emit: (delta) => options.events.emit('jobs.changed', delta),
      ...(options.notifier !== undefined ? { notifier: options.notifier } : {}),
    });
  }

  /** Runs `work` as a job the user can watch and cancel; `work` gets the signal, a progress and a log reporter. */
  start(kind: string, title: JobTitle, subject: JobSubject, work: JobWork): JobView {
    return this.registry.start(kind, title, subject, work);
  }

  list(): JobView[] {
    return this.registry.list();
  }

  cancel(id: string): Promise<{ cancelled: boolean }> {
    return this.registry.cancel(id);
  }

  log(id: string, from: number, limit: number): JobLogChunk {
    return this.registry.log(id, from, limit);
  }

  close(): void {
    this.registry.close();
  }
}
