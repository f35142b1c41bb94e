import { z } from 'zod';
import { parseUpid, type TaskRecord } from '../../cluster/tasks';
import type { RequestContext, Route } from '../context';
import { ApiAnswer, ApiError, permissionError } from '../errors';
import { parseArgs, pveBool, pveInt } from '../params';

export function taskSummary(task: TaskRecord): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user: task.user,
  };
  if (task.status === 'stopped') {
    summary.status = task.exitstatus;
    summary.endtime = task.endtime;
  }
  return summary;
}

/** A user sees their own tasks (and their tokens'); Sys.Audit on the node shows everyone's, as in PVE. */
function canSee(ctx: RequestContext, task: TaskRecord): boolean {
  if (ctx.can(`/nodes/${task.node}`, 'Sys.Audit')) return true;
  return task.user === ctx.who.userid || task.user.startsWith(`${ctx.who.userid}!`);
}

function taskAt(ctx: RequestContext): TaskRecord {
  const upid = ctx.param('upid');
  const parsed = parseUpid(upid);
  if (!parsed) throw new ApiError(400, 'Parameter verification failed.', { upid: 'unable to parse worker upid' });
  const task = ctx.lab.tasks.get(upid);
  if (!task || task.node !== ctx.param('node')) throw new ApiError(500, `no such task`);
  if (!canSee(ctx, task)) throw permissionError(`/nodes/${task.node}`, 'Sys.Audit');
  return task;
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
    .filter((t) => !args.userfilter || t.user.includes(args.userfilter))
    .filter((t) => !args.errors || (t.exitstatus !== undefined && t.exitstatus !== 'OK'))
    .filter((t) => (args.since === undefined || t.starttime >= args.since) && (args.until === undefined || t.starttime <= args.until))
    .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);
  const start = args.start ?? 0;
  const page = tasks.slice(start, start + (args.limit ?? 50)).map(taskSummary);
  return new ApiAnswer(page, { total: tasks.length });
}

function taskStatus(ctx: RequestContext): unknown {
  const task = taskAt(ctx);
  const status: Record<string, unknown> = { ...taskSummary(task), status: task.status };
  if (task.status === 'stopped') status.exitstatus = task.exitstatus;
  return status;
}

const logArgs = z.object({ start: pveInt(0).optional(), limit: pveInt(0).optional(), download: pveBool.optional() });

function taskLog(ctx: RequestContext): unknown {
  const task = taskAt(ctx);
  const args = parseArgs(logArgs, ctx.args);
  const start = args.start ?? 0;
  const limit = args.limit ?? 50;
  const lines = task.lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
  return new ApiAnswer(lines, { total: task.lines.length });
}

function stopTask(ctx: RequestContext): unknown {
  const task = taskAt(ctx);
  const own = task.user === ctx.who.userid || task.user === ctx.who.tokenid;
  if (!own) ctx.require(`/nodes/${task.node}`, 'Sys.Modify');
  ctx.lab.tasks.abort(task.upid);
  return null;
}

export const taskRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/tasks', handler: (ctx) => listTasks(ctx, ctx.param('node')) },
  {
    method: 'GET',
    pattern: '/nodes/{node}/tasks/{upid}',
    handler: (ctx) => {
      taskAt(ctx);
      return [{ name: 'log' }, { name: 'status' }];
    },
  },
  { method: 'GET', pattern: '/nodes/{node}/tasks/{upid}/status', handler: taskStatus },
  { method: 'GET', pattern: '/nodes/{node}/tasks/{upid}/log', handler: taskLog },
  { method: 'DELETE', pattern: '/nodes/{node}/tasks/{upid}', handler: stopTask },
  {
    method: 'GET',
    pattern: '/cluster/tasks',
    handler: (ctx) =>
      ctx.lab.tasks
        .list()
        .filter((t) => canSee(ctx, t))
        .slice(-500)
        .reverse()
        .map(taskSummary),
  },
];
