import type { TaskContext } from '../contracts';

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  lines: string[];
  warnings: number;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * A task's owner as PVE's task endpoints show it: the UPID holds
 * `user@realm!tokenname` for a token, the answers split it into `user`
 * and `tokenid` (pve-manager PVE/API2/Tasks.pm `$convert_token_task`).
 */
export function taskOwner(upidUser: string): { user: string; tokenid?: string } {
  const m = /^(.+@[^!]+)!([A-Za-z][A-Za-z0-9._-]*)$/.exec(upidUser);
  return m ? { user: m[1] ?? '', tokenid: m[2] ?? '' } : { user: upidUser };
}

/** PVE's `$check_task_user`: a token sees its own tasks, a user its own and its tokens'. */
export function ownsTask(upidUser: string, caller: string): boolean {
  return caller === upidUser || caller === taskOwner(upidUser).user;
}

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

/** `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:` with 8-digit uppercase hex fields, as PVE writes them. */
export function formatUpid(t: Pick<TaskRecord, 'node' | 'pid' | 'pstart' | 'starttime' | 'type' | 'id' | 'user'>): string {
  return `UPID:${t.node}:${hex8(t.pid)}:${hex8(t.pstart)}:${hex8(t.starttime)}:${t.type}:${t.id}:${t.user}:`;
}

export function parseUpid(upid: string): { node: string; pid: number; pstart: number; starttime: number; type: string; id: string; user: string } | undefined {
  const m = /^UPID:([a-zA-Z0-9-]+):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/.exec(upid);
  if (!m) return undefined;
  return {
    node: m[1] ?? '',
    pid: parseInt(m[2] ?? '', 16),
    pstart: parseInt(m[3] ?? '', 16),
    starttime: parseInt(m[4] ?? '', 16),
    type: m[5] ?? '',
    id: m[6] ?? '',
    user: m[7] ?? '',
  };
}

/**
 * PVE's worker tasks: each long operation runs as a task with a UPID, a
 * line log, and an exit status `OK`, `WARNINGS: N` (lines logged with
 * `WARN: `, as PVE's log_warn does) or the error text.
 */
export class TaskRegistry {
  private readonly tasks = new Map<string, TaskRecord>();
  private nextPid = 0x1000 + (process.pid % 0x1000);
  /** PVE's pstart is the worker's start time in clock ticks since boot. */
  private readonly bootTicks = Math.floor(process.uptime() * 100) + 0x100000;

  start(options: { node: string; type: string; id: string; user: string }, work: (task: TaskContext) => Promise<void>): TaskRecord {
    const now = Math.floor(Date.now() / 1000);
    const pid = this.nextPid++;
    const pstart = this.bootTicks + Math.floor(process.uptime() * 100);
    const controller = new AbortController();
    const record: TaskRecord = {
      ...options,
      upid: '',
      pid,
      pstart,
      starttime: now,
      status: 'running',
      lines: [],
      warnings: 0,
      controller,
      done: Promise.resolve(),
    };
    record.upid = formatUpid(record);
    const context: TaskContext = {
      signal: controller.signal,
      log: (line: string) => {
        for (const part of String(line).split('\n')) {
          if (part.startsWith('WARN: ')) record.warnings++;
          record.lines.push(part);
        }
      },
    };
    this.tasks.set(record.upid, record);
    record.done = (async () => {
      try {
        // An abort ends the task at once, as PVE kills its worker; the work sees the signal and winds down behind it.
        const aborted = new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () => reject(new Error('interrupted by signal')), { once: true }),
        );
        await Promise.race([Promise.resolve().then(() => work(context)), aborted]);
        if (controller.signal.aborted) throw new Error('interrupted by signal');
        record.exitstatus = record.warnings > 0 ? `WARNINGS: ${record.warnings}` : 'OK';
        record.lines.push(record.warnings > 0 ? `TASK WARNINGS: ${record.warnings}` : 'TASK OK');
      } catch (error) {
        const message = controller.signal.aborted ? 'interrupted by signal' : errorText(error);
        record.exitstatus = message;
        record.lines.push(`TASK ERROR: ${message}`);
      } finally {
        record.status = 'stopped';
        record.endtime = Math.floor(Date.now() / 1000);
      }
    })();
    return record;
  }

  get(upid: string): TaskRecord | undefined {
    return this.tasks.get(upid);
  }

  list(): TaskRecord[] {
    return [...this.tasks.values()];
  }

  abort(upid: string): boolean {
    const task = this.tasks.get(upid);
    if (!task || task.status !== 'running') return false;
    task.controller.abort(new Error('interrupted by signal'));
    return true;
  }

  /** Waits for running tasks to end (used at shutdown, bounded by the caller). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.tasks.values()].map((t) => t.done));
  }
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || 'unknown error';
}
