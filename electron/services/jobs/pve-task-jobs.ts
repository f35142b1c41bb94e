import type { JobTitle, JobView } from '../../../shared/domain/jobs';
import { IpcError } from '../../../shared/ipc/errors';
import type { Logger } from '../log';
import { hasPrivilege, parseUpid, type TaskSummary } from '../pve';
import type { ClusterSessions, TaskClient } from './cluster-sessions';
import { isFinal, type JobRegistry } from './job-registry';
import { PveTaskFollower, pveJobId, pveTaskView } from './pve-task-follower';
import { ownsTask, taskOutcome } from './task-outcome';

const maxFollowBackoffMs = 30_000;
/**
 * A task the app just started is first asked about this soon, then twice as late each time up to `followMs`: most
 * end within a second (a config change, an attach, a snapshot of a stopped guest), and neither the user nor the next
 * step of a migration should wait a whole period to learn it.
 */
const firstFollowMs = 100;

export interface PveTaskJobsOptions {
  registry: JobRegistry;
  sessions: ClusterSessions;
  logger: Logger;
  /** How often the clusters' task lists are read. */
  pollMs?: number;
  /** How often a task this app started is followed once it has run for a while. */
  followMs?: number;
  /** Running tasks of others followed per cluster and cycle, so a busy cluster costs a bounded number of calls. */
  maxFollowedPerCycle?: number;
  /** The newest tasks of each cluster's list shown; PVE's list holds thousands. */
  maxListedPerCluster?: number;
}

/**
 * PVE tasks as jobs: the tasks this app starts, followed until they end,
 * and the recent tasks of every connected cluster (`/cluster/tasks`),
 * listed beside them with a task the app started appearing once.
 */
export class PveTaskJobs {
  private readonly followers = new Map<string, PveTaskFollower>();
  private readonly closing = new AbortController();
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly pollMs: number;
  private readonly followMs: number;
  private readonly maxFollowed: number;
  private readonly maxListed: number;

  constructor(private readonly options: PveTaskJobsOptions) {
    this.pollMs = options.pollMs ?? 3000;
    this.followMs = options.followMs ?? 1000;
    this.maxFollowed = options.maxFollowedPerCycle ?? 10;
    this.maxListed = options.maxListedPerCluster ?? 100;
  }

  /** Starts reading the clusters' task lists, one cycle after the other. */
  startPolling(): void {
    const cycle = (): void => {
      this.pollTimer = setTimeout(() => {
        void this.pollClusters().finally(() => {
          if (!this.closing.signal.aborted) cycle();
        });
      }, this.pollMs);
      this.pollTimer.unref();
    };
    cycle();
  }

  /** A task this app just started (the UPID a PVE call answered): a job of origin `app`, followed until it ends. */
  follow(profileId: string, upid: string, cluster?: string, title?: JobTitle): JobView {
    const facts = parseUpid(upid);
    if (!facts) {
      throw new IpcError('BAD_RESPONSE', {
        en: `PVE answered "${upid}" where a task id (UPID) was expected. Check the cluster's version.`,
        fr: `PVE a répondu « ${upid} » là où un identifiant de tâche (UPID) était attendu. Vérifiez la version du cluster.`,
      });
    }
    const id = pveJobId(profileId, upid);
    const view = { ...pveTaskView(profileId, cluster, { ...facts, upid }, 'app'), cancellable: true, ...(title !== undefined ? { title } : {}) };
    const listed = this.options.registry.view(id);
    if (listed && !isFinal(listed.state)) {
      // The cluster poll listed it first: the job becomes the app's, keeping the log read so far.
      this.options.registry.update(id, { origin: 'app', cancellable: true, title: view.title });
    } else {
      // Already ended before the app looked: listed again as the app's, so the user hears of its end.
      this.forget(id);
      this.options.registry.add(view, () => this.stop(id));
    }
    const follower = this.followerFor(profileId, id, facts.node, upid);
    void this.followUntilEnd(follower);
    return this.options.registry.view(id) ?? view;
  }

  /** Reads the cluster's log of a task only listed so far, so `jobs.log` of a finished task has its lines. */
  async catchUpLog(profileId: string, id: string, upid: string): Promise<void> {
    const node = parseUpid(upid)?.node;
    if (node === undefined) return;
    await this.followerFor(profileId, id, node, upid).refresh(this.closing.signal);
  }

  /** One cycle: every connected cluster's task list merged into the jobs, running tasks brought up to date. */
  async pollClusters(): Promise<void> {
    const connected = await this.options.sessions.connected();
    const live = new Set(connected.map(({ profileId }) => profileId));
    for (const view of this.options.registry.list()) {
      if (view.origin === 'cluster' && view.subject.profileId !== undefined && !live.has(view.subject.profileId)) this.forget(view.id);
    }
    await Promise.all(connected.map(({ profileId, name, clusterName }) => this.pollCluster(profileId, clusterName ?? name)));
  }

  close(): void {
    this.closing.abort();
    clearTimeout(this.pollTimer);
  }

  private async pollCluster(profileId: string, cluster: string): Promise<void> {
    const signal = this.closing.signal;
    try {
      const client = this.options.sessions.client(profileId);
      const [tasks, mayStop] = await Promise.all([client.getClusterTasks({ signal }), this.stopRights(client, signal)]);
      const listed = new Set<string>();
      let followed = 0;
      const newest = [...tasks].sort((a, b) => b.starttime - a.starttime).slice(0, this.maxListed);
      for (const task of newest) {
        const id = pveJobId(profileId, task.upid);
        listed.add(id);
        const known = this.options.registry.view(id);
        if (known?.origin === 'app') continue;
        const running = isRunning(task);
        if (!known) this.addListed(profileId, cluster, task, running);
        if (!running) {
          if (known && !isFinal(known.state)) this.options.registry.end(id, taskOutcome(task.status));
          continue;
        }
        const cancellable = mayStop(task);
        if (known?.cancellable !== cancellable) this.options.registry.update(id, { cancellable });
        if (followed < this.maxFollowed) {
          followed += 1;
          await this.followerFor(profileId, id, task.node, task.upid).refresh(signal);
        }
      }
      for (const view of this.options.registry.list()) {
        if (view.origin === 'cluster' && view.subject.profileId === profileId && !listed.has(view.id)) this.forget(view.id);
      }
    } catch (error) {
      if (!signal.aborted)
        this.options.logger.warn('jobs.cluster-poll-failed', { profile: profileId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private addListed(profileId: string, cluster: string | undefined, task: TaskSummary, running: boolean): void {
    const view = pveTaskView(profileId, cluster, task, 'cluster');
    const ended = running
      ? {}
      : { ...taskOutcome(task.status), ...(task.endtime !== undefined ? { endedAt: new Date(task.endtime * 1000).toISOString() } : {}) };
    this.options.registry.add({ ...view, ...ended }, () => this.stop(view.id));
  }

  /** Who may stop a task, as Tasks.pm decides: its owner, or whoever holds Sys.Modify on its node. */
  private async stopRights(client: TaskClient, signal: AbortSignal): Promise<(task: TaskSummary) => boolean> {
    const caller = client.session?.userid ?? '';
    const permissions = await client.getPermissions({ signal });
    return (task) => ownsTask(task, caller) || hasPrivilege(permissions, `/nodes/${task.node}`, 'Sys.Modify');
  }

  private async followUntilEnd(follower: PveTaskFollower): Promise<void> {
    const signal = this.closing.signal;
    let failures = 0;
    let rounds = 0;
    while (!signal.aborted && this.options.registry.has(follower.jobId)) {
      try {
        if (!(await follower.refresh(signal))) break;
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        this.options.logger.warn('jobs.task-follow-failed', { job: follower.jobId, failures, error: error instanceof Error ? error.message : String(error) });
      }
      // A cluster that stopped answering (or a closed session) is asked less and less often, not every second forever.
      const wait = failures > 0 ? Math.min(maxFollowBackoffMs, this.followMs * 2 ** failures) : Math.min(this.followMs, firstFollowMs * 2 ** rounds++);
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
    this.followers.delete(follower.jobId);
  }

  private async stop(id: string): Promise<boolean> {
    const follower = this.followers.get(id) ?? this.listedFollower(id);
    if (!follower) return false;
    await follower.stop(this.closing.signal);
    // Shows the end soon rather than at the next poll.
    setTimeout(() => void follower.refresh(this.closing.signal).catch(() => undefined), 300).unref();
    return true;
  }

  private listedFollower(id: string): PveTaskFollower | undefined {
    const view = this.options.registry.view(id);
    const profileId = view?.subject.profileId;
    const node = view?.subject.node;
    if (profileId === undefined || node === undefined || view?.upid === undefined) return undefined;
    return this.followerFor(profileId, id, node, view.upid);
  }

  private followerFor(profileId: string, id: string, node: string, upid: string): PveTaskFollower {
    let follower = this.followers.get(id);
    if (!follower) {
      follower = new PveTaskFollower(this.options.registry, this.options.sessions.client(profileId), id, node, upid);
      this.followers.set(id, follower);
    }
    return follower;
  }

  private forget(id: string): void {
    this.followers.delete(id);
    this.options.registry.remove(id);
  }
}

/** `/cluster/tasks` gives running tasks no end time (and `RUNNING` as status where it names one). */
function isRunning(task: TaskSummary): boolean {
  return task.endtime === undefined || task.status === 'RUNNING';
}
