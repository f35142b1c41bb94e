import { z } from 'zod';
import { ownsTask, parseUpid, taskOwner, type TaskRecord } from '../../cluster/tasks';
import type { RequestContext, Route } from '../context';
import { ApiAnswer, parameterError } from '../errors';
import { parseArgs, pveBool, pveInt } from '../params';

/** The UPID's fields as PVE's upid_decode gives them, with a token owner split into `user` and `tokenid`. */
function decodedTask(task: TaskRecord): Record<string, unknown> {
  return {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    ...taskOwner(task.user),
  };
}

/** A task list entry: finished tasks carry their end and exit status; running ones (`source=active|all`) say `RUNNING`. */
export function taskSummary(task: TaskRecord): Record<string, unknown> {
  const summary = decodedTask(task);
  if (task.status === 'stopped') {
    summary.status = task.exitstatus;
    summary.endtime = task.endtime;
  } else summary.status = 'RUNNING';
  return summary;
}

/** Sys.Audit on the task's node shows everyone's tasks; without it the caller sees what `ownsTask` allows. */
function canSee(ctx: RequestContext, task: TaskRecord): boolean {
  return ctx.can(`/nodes/${task.node}`, 'Sys.Audit') || ownsTask(task.user, ctx.userName);
}

/** The UPID of the path, decoded as PVE's upid_decode does; the task if this node ran it (task logs are per node). */
function upidAt(ctx: RequestContext): { upidUser: string; task: TaskRecord | undefined } {
  const upid = ctx.param('upid');
  const parsed = parseUpid(upid);
  if (!parsed) throw parameterError({ upid: 'unable to parse worker upid' });
  const task = ctx.lab.tasks.get(upid);
  return { upidUser: parsed.user, task: task?.node === ctx.param('node') ? task : undefined };
}

/** The owner passes; anyone else needs `privilege` on the node of the path, as Tasks.pm checks. */
function requireOwnerOr(ctx: RequestContext, upidUser: string, privilege: 'Sys.Audit' | 'Sys.Modify'): void {
  if (!ownsTask(upidUser, ctx.userName)) ctx.require(`/nodes/${ctx.param('node')}`, privilege);
}

function existingTask(found: { task: TaskRecord | undefined }): TaskRecord {
  if (!found.task) throw parameterError({ upid: 'no such task' });
  return found.task;
}

const listArgs = z.object({
  start: pveInt(0).optional(),
  limit: pveInt(0).optional(),
  vmid: pveInt(100).optional(),
  typefilter: z.string().optional(),
  userfilter: z.string().optional(),
  errors: pveBool.optional(),
  source: z.enum(['archive', 'active', 'all']).optional(),
  since: pveInt(0).optional(),
  until: pveInt(0).optional(),
  statusfilter: z.string().optional(),
});

function listTasks(ctx: RequestContext, node: string | undefined): unknown {
  const args = parseArgs(listArgs, ctx.args);
  const source = args.source ?? 'archive';
  const tasks = ctx.lab.tasks
    .list()
    .filter((t) => (!node || t.node === node) && canSee(ctx, t))
    .filter((t) => (source === 'active' ? t.status === 'running' : source === 'archive' ? t.status === 'stopped' : true))
    .filter((t) => args.vmid === undefined || t.id === String(args.vmid))
    .filter((t) => !args.typefilter || t.type === args.typefilter)
    .filter((t) => !args.userfilter || taskOwner(t.user).user.toLowerCase().includes(args.userfilter.toLowerCase()))
    .filter((t) => !args.errors || (t.exitstatus !== undefined && t.exitstatus !== 'OK'))
    .filter((t) => (args.since === undefined || t.starttime >= args.since) && (args.until === undefined || t.starttime <= args.until))
    .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);
  const start = args.start ?? 0;
  const page = tasks.slice(start, start + (args.limit ?? 50)).map(taskSummary);
  return new ApiAnswer(page, { total: tasks.length });
}

function taskStatus(ctx: RequestContext): unknown {
  const found = upidAt(ctx);
  const task = existingTask(found);
  requireOwnerOr(ctx, found.upidUser, 'Sys.Audit');
  const status: Record<string, unknown> = { ...decodedTask(task), status: task.status };
  if (task.status === 'stopped') status.exitstatus = task.exitstatus;
  return status;
}

const logArgs = z.object({ start: pveInt(0).optional(), limit: pveInt(0).optional(), download: pveBool.optional() });

/** pve-common's dump_logfile: `limit=0` reads to the end, an empty log is one "no content" line, a missing one a line saying so. */
function taskLog(ctx: RequestContext): unknown {
  const found = upidAt(ctx);
  requireOwnerOr(ctx, found.upidUser, 'Sys.Audit');
  const args = parseArgs(logArgs, ctx.args);
  if (!found.task) return new ApiAnswer([{ n: 1, t: 'unable to open file - No such file or directory' }], { total: 1 });
  const all = found.task.lines;
  if (all.length === 0) return new ApiAnswer([{ n: 1, t: 'no content' }], { total: 1 });
  const start = args.start ?? 0;
  const limit = args.limit ?? 50;
  const page = limit === 0 ? all.slice(start) : all.slice(start, start + limit);
  return new ApiAnswer(
    page.map((t, i) => ({ n: start + i + 1, t })),
    { total: all.length },
  );
}

function stopTask(ctx: RequestContext): unknown {
  const found = upidAt(ctx);
  const task = existingTask(found);
  requireOwnerOr(ctx, found.upidUser, 'Sys.Modify');
  ctx.lab.tasks.abort(task.upid);
  return null;
}

/** pve-manager PVE/API2/Cluster.pm `tasks`: everyone's with Sys.Audit on `/`, else those whose (token-split) user is the caller. */
function clusterTasks(ctx: RequestContext): unknown {
  const all = ctx.can('/', 'Sys.Audit');
  return ctx.lab.tasks
    .list()
    .filter((t) => all || taskOwner(t.user).user === ctx.userName)
    .slice(-500)
    .reverse()
    .map(taskSummary);
}

export const taskRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/tasks', handler: (ctx) => listTasks(ctx, ctx.param('node')), params: listArgs },
  {
    method: 'GET',
    pattern: '/nodes/{node}/tasks/{upid}',
    handler: () => [{ name: 'log' }, { name: 'status' }],
  },
  { method: 'GET', pattern: '/nodes/{node}/tasks/{upid}/status', handler: taskStatus },
  { method: 'GET', pattern: '/nodes/{node}/tasks/{upid}/log', handler: taskLog, params: logArgs },
  { method: 'DELETE', pattern: '/nodes/{node}/tasks/{upid}', handler: stopTask },
  { method: 'GET', pattern: '/cluster/tasks', handler: clusterTasks },
];
