import { z } from 'zod';
import type { JobLogChunk, JobsDelta, JobView } from '../../domain/jobs';
import { method, noInput } from './method';

/** `app:<32 hex>` or `pve:<profile id>:<UPID>`; UPIDs are printable ASCII with colons. */
export const jobIdSchema = z
  .string()
  .max(400)
  .regex(/^(app:[0-9a-f]{32}|pve:[0-9a-f-]{36}:UPID:[\x21-\x7e]+)$/, 'must be a job id');

export const jobsMethods = {
  /** Every job the pane shows: the app's own and the recent tasks of each connected cluster, newest first. */
  'jobs.list': method<JobView[]>()(noInput),
  /** Stops a job (a PVE task: DELETE on the task); `cancelled: false` when it had already ended. */
  'jobs.cancel': method<{ cancelled: boolean }>()(z.object({ id: jobIdSchema }).strict()),
  /** Reads a job's log from line `from` (0-based), at most `limit` lines. */
  'jobs.log': method<JobLogChunk>()(
    z
      .object({
        id: jobIdSchema,
        from: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ),
} as const;

export interface JobsEvents {
  /** Only the jobs that changed (or disappeared) since the last event. */
  'jobs.changed': JobsDelta;
}
export const jobsEventNames = ['jobs.changed'] as const satisfies readonly (keyof JobsEvents)[];
