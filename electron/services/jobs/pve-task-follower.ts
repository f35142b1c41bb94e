import type { JobView } from '../../../shared/domain/jobs';
import type { TaskSummary } from '../pve';
import type { TaskClient } from './cluster-sessions';
import type { JobRegistry } from './job-registry';
import { migrationOutcome, readMigrationFacts, type MigrationFacts } from './migration-outcome';
import { progressFromLogLines } from './progress-parsers';
import { taskOutcome } from './task-outcome';

/** Lines asked per log page; a busy task is read in several pages in one refresh. */
const logPageSize = 500;

export function pveJobId(profileId: string, upid: string): string {
  return `pve:${profileId}:${upid}`;
}

/** What the task list and the UPID both say of a task. */
export type TaskFacts = Pick<TaskSummary, 'upid' | 'node' | 'type' | 'id' | 'user' | 'tokenid' | 'starttime'>;

/** A PVE task as a job; `pve:<type>` lets the pane name it by its task type. */
export function pveTaskView(profileId: string, cluster: string | undefined, task: TaskFacts, origin: JobView['origin']): JobView {
  const vmid = /^\d+$/.test(task.id) ? Number(task.id) : undefined;
  return {
    id: pveJobId(profileId, task.upid),
    kind: `pve:${task.type}`,
    // The pane names a task by its type (`tasks.kinds.qmstart`); a type it does not know shows as the raw kind.
    title: { key: `tasks.kinds.${task.type}`, params: { type: task.type, id: task.id, node: task.node, target: task.id || task.node } },
    subject: { profileId, node: task.node, ...(cluster !== undefined ? { cluster } : {}), ...(vmid !== undefined ? { vmid } : {}) },
    origin,
    user: task.tokenid ? `${task.user}!${task.tokenid}` : task.user,
    state: 'running',
    startedAt: new Date(task.starttime * 1000).toISOString(),
    cancellable: false,
    upid: task.upid,
  };
}

/**
 * Follows one PVE task into its job: status from the node that runs it, the
 * log read from where the last read stopped (only new lines cross the
 * wire), progress from what the new lines print.
 */
export class PveTaskFollower {
  /** Log lines read so far; PVE numbers them from 1. */
  private logRead = 0;
  /** What a migration's log has said so far: its outcome once it ends. */
  private migration: MigrationFacts = {};

  constructor(
    private readonly registry: JobRegistry,
    private readonly client: TaskClient,
    readonly jobId: string,
    private readonly node: string,
    private readonly upid: string,
  ) {}

  /** A refresh under way: the poll, the follow loop and a stop may ask at once, and the log must be read once. */
  private pending: Promise<boolean> | undefined;

  /** Brings the job up to date; answers false once the task has ended. */
  refresh(signal: AbortSignal): Promise<boolean> {
    this.pending ??= this.read(signal).finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async read(signal: AbortSignal): Promise<boolean> {
    // Status before log: once it says stopped, the log read next is complete.
    const status = await this.client.getTaskStatus(this.node, this.upid, { signal });
    const lines = await this.readNewLines(signal);
    this.registry.appendLog(this.jobId, lines);
    const progress = progressFromLogLines(lines);
    // Before the end: a task that finished between two reads still shows how far it went.
    if (progress) this.registry.update(this.jobId, { progress });
    this.migration = readMigrationFacts(lines, this.migration);
    if (status.status === 'stopped') {
      const ended = taskOutcome(status.exitstatus);
      const outcome = ended.state === 'succeeded' ? migrationOutcome(this.migration) : undefined;
      this.registry.end(this.jobId, { ...ended, ...(outcome !== undefined ? { outcome } : {}) });
      return false;
    }
    return true;
  }

  stop(signal: AbortSignal): Promise<null> {
    return this.client.stopTask(this.node, this.upid, { signal });
  }

  private async readNewLines(signal: AbortSignal): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const page = await this.client.getTaskLog(this.node, this.upid, { start: this.logRead, limit: logPageSize }, { signal });
      // An empty log reads as one "no content" line (pve-common dump_logfile): not a line of the task.
      if (this.logRead === 0 && page.length === 1 && page[0]?.t === 'no content') return lines;
      for (const { n, t } of page) {
        if (n <= this.logRead) continue;
        lines.push(t);
        this.logRead = n;
      }
      if (page.length < logPageSize) return lines;
    }
  }
}
