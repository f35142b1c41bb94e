import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { calendarEventError } from '../../cluster/calendar-event';
import type { ClusterModel, LabBackupJob } from '../../cluster/model';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { nodeName, parseArgs, pveBool } from '../params';
import { verifySelection, vzdumpArgs } from './vzdump';

const jobId = z.string().max(50).regex(/^\S+$/, 'invalid format - value does not match the regex pattern');
const schedule = z
  .string()
  .max(128)
  .superRefine((value, check) => {
    const error = calendarEventError(value);
    if (error) check.addIssue({ code: 'custom', message: error });
  });

/** pve-manager PVE/API2/Backup.pm `create_job` / `update_job` properties: vzdump's options plus the job's own. */
const jobOptions = vzdumpArgs.extend({
  schedule: schedule.optional(),
  enabled: pveBool.optional(),
  comment: z.string().max(512).optional(),
  node: nodeName.optional(),
  'repeat-missed': pveBool.optional(),
});
const createArgs = jobOptions.extend({ id: jobId.optional(), schedule });
const updateArgs = jobOptions.extend({ delete: z.string().optional(), digest: z.string().max(64).optional() });

/** Options `delete` may name besides vzdump's (`update_job`'s `$deletable`). */
const DELETABLE_JOB_OPTIONS = new Set(['comment', 'repeat-missed']);

type JobArgs = z.output<typeof jobOptions>;

/** jobs.cfg stores booleans as 0/1, as PVE's section config writes them. */
function stored(args: JobArgs): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(args)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === 'boolean' ? Number(value) : (value as string | number)]),
  );
}

/** `assert_param_permission_create`/`_update`: Datastore.Allocate on the job's storage, VM.Backup on its pool (root@pam skips them). */
function requireJobPrivileges(ctx: RequestContext, job: { storage?: unknown; pool?: unknown }): void {
  if (ctx.userName === 'root@pam') return;
  if (typeof job.storage === 'string') ctx.require(`/storage/${job.storage}`, 'Datastore.Allocate');
  if (typeof job.pool === 'string') ctx.require(`/pool/${job.pool}`, 'VM.Backup');
}

/** Like PVE's section config digest, one SHA-1 over the whole jobs.cfg: any change to any job invalidates it. */
function jobsDigest(model: ClusterModel): string {
  return createHash('sha1')
    .update(JSON.stringify([...model.backupJobs.values()]))
    .digest('hex');
}

function jobView(model: ClusterModel, job: LabBackupJob): Record<string, unknown> {
  return { ...job, type: 'vzdump', digest: jobsDigest(model) };
}

function jobAt(ctx: RequestContext): LabBackupJob {
  const id = ctx.param('id');
  const job = ctx.lab.model.backupJobs.get(id);
  if (!job) throw parameterError({ id: `No such job '${id}'` });
  return job;
}

/** GET /cluster/backup (`index`). */
function listJobs(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Audit');
  return [...ctx.lab.model.backupJobs.values()].map((job) => jobView(ctx.lab.model, job));
}

/** POST /cluster/backup (`create_job`). */
function createJob(ctx: RequestContext): null {
  ctx.require('/', 'Sys.Modify');
  const { id = randomUUID(), ...args } = parseArgs(createArgs, ctx.args);
  requireJobPrivileges(ctx, args);
  const model = ctx.lab.model;
  if (args.pool && !model.pools.has(args.pool)) throw new ApiError(500, `pool '${args.pool}' does not exist`);
  if (model.backupJobs.has(id)) throw new ApiError(500, `Job '${id}' already exists`);
  verifySelection(args);
  model.backupJobs.set(id, { id, enabled: 1, ...stored(args), ...(args.exclude && !args.pool ? { all: 1 } : {}) });
  model.changed();
  return null;
}

/** GET /cluster/backup/{id} (`read_job`). */
function readJob(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Audit');
  return jobView(ctx.lab.model, jobAt(ctx));
}

/** PUT /cluster/backup/{id} (`update_job`): `delete` then the given options, the selection keys made consistent, checked like a new job. */
function updateJob(ctx: RequestContext): null {
  ctx.require('/', 'Sys.Modify');
  const { delete: deleteList, digest, ...args } = parseArgs(updateArgs, ctx.args);
  const current = jobAt(ctx);
  if (digest && digest !== jobsDigest(ctx.lab.model)) throw new ApiError(500, 'detected modified configuration - file changed by other user? Try again.');
  const deletes = (deleteList ?? '').split(/[,;\s]+/).filter(Boolean);
  for (const key of deletes) if (!(key in vzdumpArgs.shape) && !DELETABLE_JOB_OPTIONS.has(key)) throw parameterError({ delete: `unknown option '${key}'` });
  if (deletes.length === 0 && Object.values(args).every((value) => value === undefined)) throw new ApiError(500, 'no options specified');
  requireJobPrivileges(ctx, args);
  if (deletes.includes('storage')) requireJobPrivileges(ctx, { storage: 'local' });
  const job: LabBackupJob = { ...current };
  for (const key of deletes) Reflect.deleteProperty(job, key);
  Object.assign(job, stored(args));
  if (job.exclude !== undefined && job.pool === undefined) job.all = 1;
  const keep = args.vmid !== undefined ? 'vmid' : args.all ? 'all' : job.pool !== undefined ? 'pool' : undefined;
  const dropped = keep === 'vmid' ? ['all', 'exclude', 'pool'] : keep === 'all' ? ['vmid', 'pool'] : keep === 'pool' ? ['vmid', 'all', 'exclude'] : [];
  for (const key of dropped) Reflect.deleteProperty(job, key);
  verifySelection({
    vmid: job.vmid as string | undefined,
    all: Boolean(job.all),
    pool: job.pool as string | undefined,
    exclude: job.exclude as string | undefined,
  });
  ctx.lab.model.backupJobs.set(current.id, job);
  ctx.lab.model.changed();
  return null;
}

/** DELETE /cluster/backup/{id} (`delete_job`). */
function deleteJob(ctx: RequestContext): null {
  ctx.require('/', 'Sys.Modify');
  const job = jobAt(ctx);
  ctx.lab.model.backupJobs.delete(job.id);
  ctx.lab.model.changed();
  return null;
}

export const backupJobRoutes: Route[] = [
  { method: 'GET', pattern: '/cluster/backup', handler: listJobs },
  { method: 'POST', pattern: '/cluster/backup', handler: createJob, params: createArgs },
  { method: 'GET', pattern: '/cluster/backup/{id}', handler: readJob },
  { method: 'PUT', pattern: '/cluster/backup/{id}', handler: updateJob, params: updateArgs },
  { method: 'DELETE', pattern: '/cluster/backup/{id}', handler: deleteJob },
];
