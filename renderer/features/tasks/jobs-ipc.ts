import type { z } from 'zod';
import type { JobsEvents, jobsMethods } from '../../../shared/ipc/contract/jobs';
import { ipc } from '../../platform/ipc';

type JobsMethods = typeof jobsMethods;

/** The part of the IPC client the task pane uses: the `jobs.*` methods and their one event. */
export interface JobsIpc {
  call<M extends keyof JobsMethods>(method: M, input: z.input<JobsMethods[M]['input']>): Promise<NonNullable<JobsMethods[M]['result']>>;
  on<E extends keyof JobsEvents>(event: E, listener: (payload: JobsEvents[E]) => void): () => void;
}

export const jobsIpc = ipc as unknown as JobsIpc;
