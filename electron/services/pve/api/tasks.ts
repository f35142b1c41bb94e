import { z } from 'zod';
import type { FormValue } from '../http/form';
import { segment, type ApiCall } from './api-call';
import { pveInteger } from '../../../../shared/pve/values';

/**
 * A task as PVE's task endpoints describe it (pve-manager PVE/API2/Tasks.pm):
 * the UPID's fields, with a token owner split in two. A task started by
 * token `root@pam!lab` has `user: "root@pam"` and `tokenid: "lab"`; the
 * UPID itself keeps `root@pam!lab`.
 */
const taskFields = {
  upid: z.string(),
  node: z.string(),
  pid: pveInteger,
  pstart: pveInteger,
  starttime: pveInteger,
  type: z.string(),
  id: z.string(),
  user: z.string(),
  tokenid: z.string().optional(),
};

const taskStatusData = z.object({
  ...taskFields,
  status: z.enum(['running', 'stopped']),
  /** `OK`, `WARNINGS: N` or the error text, once stopped. */
  exitstatus: z.string().optional(),
});
export type TaskStatus = z.infer<typeof taskStatusData>;

const taskListData = z.array(
  z.object({
    ...taskFields,
    /** The exit status of a finished task, `RUNNING` for an active one. */
    status: z.string().optional(),
    endtime: pveInteger.optional(),
  }),
);
export type TaskSummary = z.infer<typeof taskListData>[number];

/** The acting identity as PVE names it elsewhere: `user@realm` or `user@realm!token`. */
export function taskOwnerName(task: { user: string; tokenid?: string | undefined }): string {
  return task.tokenid ? `${task.user}!${task.tokenid}` : task.user;
}

/** Asked of the node in the UPID: task logs and status live on the node that ran the task. */
export function taskStatusCall(node: string, upid: string): ApiCall<TaskStatus> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/tasks/${segment(upid)}/status`,
    name: 'GET /nodes/{node}/tasks/{upid}/status',
    authenticated: true,
    data: taskStatusData,
  };
}

export function nodeTasksCall(node: string, query: { source?: 'archive' | 'active' | 'all'; vmid?: number; limit?: number } = {}): ApiCall<TaskSummary[]> {
  return { method: 'GET', path: `/nodes/${segment(node)}/tasks`, name: 'GET /nodes/{node}/tasks', authenticated: true, query, data: taskListData };
}

export type VzdumpResult = { started: false } | { started: true; upid: string };

/**
 * `POST /nodes/{node}/vzdump` answers a UPID, or the plain string `OK`
 * when none of the listed guests is on that node and no task was started
 * (pve-manager PVE/API2/VZDump.pm).
 */
const vzdumpData = z.string().transform((answer): VzdumpResult => (answer === 'OK' ? { started: false } : { started: true, upid: answer }));

export function vzdumpCall(
  node: string,
  /** A backup job's options too (`all`, `exclude`, `pool`, `notes-template`, `protected`…): the web UI's "Run now" sends them all. */
  form: { vmid?: string; storage?: string; mode?: 'snapshot' | 'suspend' | 'stop'; compress?: string; 'prune-backups'?: string } & Record<string, FormValue>,
): ApiCall<VzdumpResult> {
  return { method: 'POST', path: `/nodes/${segment(node)}/vzdump`, name: 'POST /nodes/{node}/vzdump', authenticated: true, form, data: vzdumpData };
}

const taskLogData = z.array(z.object({ n: pveInteger, t: z.string() }));
export type TaskLogLine = z.infer<typeof taskLogData>[number];

/**
 * One page of a task's log: lines `start`… (0-based), at most `limit`; each
 * line carries its 1-based number `n` (pve-common's dump_logfile). PVE answers
 * a missing log with one line saying so rather than an error.
 */
export function taskLogCall(node: string, upid: string, page: { start: number; limit: number }): ApiCall<TaskLogLine[]> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/tasks/${segment(upid)}/log`,
    name: 'GET /nodes/{node}/tasks/{upid}/log',
    authenticated: true,
    query: page,
    data: taskLogData,
  };
}

/** Stops a running task (pve-manager PVE/API2/Tasks.pm stop_task): the owner, or Sys.Modify on the node. */
export function stopTaskCall(node: string, upid: string): ApiCall<null> {
  return {
    method: 'DELETE',
    path: `/nodes/${segment(node)}/tasks/${segment(upid)}`,
    name: 'DELETE /nodes/{node}/tasks/{upid}',
    authenticated: true,
    data: z.null(),
  };
}

/** The cluster's recent tasks, newest first (pve-manager PVE/API2/Cluster.pm `tasks`, from the cluster-wide task index). */
export function clusterTasksCall(): ApiCall<TaskSummary[]> {
  return { method: 'GET', path: '/cluster/tasks', name: 'GET /cluster/tasks', authenticated: true, data: taskListData };
}

export interface Upid {
  node: string;
  type: string;
  id: string;
  /** `user@realm`, or `user@realm!token` when a token started the task. */
  user: string;
  /** Unix seconds. */
  starttime: number;
}

/** Decodes `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:` as pve-common's PVE::Tools::upid_decode does; undefined when malformed. */
export function parseUpid(upid: string): Upid | undefined {
  const m = /^UPID:([a-zA-Z0-9-]+):[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8,9}:([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/.exec(upid);
  if (!m) return undefined;
  const [, node = '', starttime = '', type = '', id = '', user = ''] = m;
  return { node, type, id, user, starttime: parseInt(starttime, 16) };
}
