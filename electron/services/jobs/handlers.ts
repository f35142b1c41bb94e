import type { MethodHandlers } from '../ipc';
import type { JobsService } from './jobs-service';

export type JobsHandlers = Pick<MethodHandlers, 'jobs.list' | 'jobs.cancel' | 'jobs.log'>;

export function jobsHandlers(jobs: JobsService): JobsHandlers {
  return {
    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ id }) => jobs.cancel(id),
    'jobs.log': ({ id, from, limit }) => jobs.log(id, from, limit),
  };
}
