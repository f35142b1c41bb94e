import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobView, JobsDelta } from '../../../shared/domain/jobs';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { silentLogger } from '../log';
import type { TaskStatus, TaskSummary } from '../pve';
import type { TaskClient } from './cluster-sessions';
import { JobRegistry } from './job-registry';
import { PveTaskJobs } from './pve-task-jobs';

const profileId = '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10';
const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

function task(n: number, fields: Partial<TaskSummary> = {}): TaskSummary {
  const base = { node: 'pve1', pid: n, pstart: n, starttime: 1_700_000_000 + n, type: 'qmstart', id: String(100 + n), user: 'root@pam', ...fields };
  const owner = base.tokenid ? `${base.user}!${base.tokenid}` : base.user;
  return { ...base, upid: `UPID:${base.node}:${hex(n)}:${hex(n)}:${hex(base.starttime)}:${base.type}:${base.id}:${owner}:` };
}

/** A cluster answering from a task list; every running task's log grows by one line per read. */
function fakeCluster(tasks: TaskSummary[], options: { userid?: string; permissions?: PermissionMap } = {}) {
  const statusCalls: string[] = [];
  const logStarts: number[] = [];
  const stopped: string[] = [];
  const client: TaskClient = {
    session: { userid: options.userid ?? 'alice@pve', authKind: 'ticket' },
    getClusterTasks: () => Promise.resolve(tasks),
    getPermissions: () => Promise.resolve(options.permissions ?? {}),
    getTaskStatus: (_node, upid) => {
      statusCalls.push(upid);
      const found = tasks.find((t) => t.upid === upid);
      const status: TaskStatus = { ...(found ?? task(0)), status: found?.status === 'RUNNING' ? 'running' : 'stopped' };
      if (found?.status !== 'RUNNING') status.exitstatus = found?.status ?? 'OK';
      return Promise.resolve(status);
    },
    getTaskLog: (_node, _upid, { start }) => {
      logStarts.push(start);
      return Promise.resolve([{ n: start + 1, t: `drive-scsi0: transferred 1.0 GiB of 4.0 GiB (${25 * (start + 1)}.00%) in ${start}s` }]);
    },
    stopTask: (_node, upid) => {
      stopped.push(upid);
      return Promise.resolve(null);
    },
  };
  return { client, statusCalls, logStarts, stopped };
}

function setUp(cluster: ReturnType<typeof fakeCluster>, connected = [{ profileId, name: 'lab' }]) {
  const ended: JobView[] = [];
  const registry = new JobRegistry({ emit: () => undefined, notifier: { jobEnded: (job) => ended.push(job) } });
  const sessions = { connected: vi.fn(() => Promise.resolve(connected)), client: () => cluster.client };
  const jobs = new PveTaskJobs({ registry, sessions, logger: silentLogger });
  return { registry, jobs, sessions, ended };
}

describe('PveTaskJobs', () => {
  let close: () => void = () => undefined;
  afterEach(() => close());

  it('follows at most 10 running tasks of a cluster per cycle', async () => {
    const cluster = fakeCluster(Array.from({ length: 15 }, (_, i) => task(i + 1, { status: 'RUNNING' })));
    const { registry, jobs } = setUp(cluster);
    close = () => (jobs.close(), registry.close());
    await jobs.pollClusters();
    expect(registry.list()).toHaveLength(15);
    expect(cluster.statusCalls).toHaveLength(10);
  });

  it('reads only new log lines and turns them into progress', async () => {
    const running = task(1, { status: 'RUNNING' });
    const cluster = fakeCluster([running]);
    const { registry, jobs } = setUp(cluster);
    close = () => (jobs.close(), registry.close());
    await jobs.pollClusters();
    await jobs.pollClusters();
    expect(cluster.logStarts).toEqual([0, 1]);
    const view = registry.list()[0];
    expect(view?.progress).toMatchObject({ unit: 'bytes', done: 2 * 1024 ** 3, total: 4 * 1024 ** 3 });
    expect(registry.log(view?.id ?? '', 0, 10).lines).toHaveLength(2);
  });

  it('lets the owner, its token, or Sys.Modify on the node stop a task, as Tasks.pm does', async () => {
    const tasks = [
      task(1, { status: 'RUNNING', user: 'alice@pve' }),
      task(2, { status: 'RUNNING', user: 'alice@pve', tokenid: 'ci' }),
      task(3, { status: 'RUNNING', user: 'bob@pve' }),
      task(4, { status: 'RUNNING', user: 'bob@pve', node: 'pve2' }),
    ];
    const cluster = fakeCluster(tasks, { userid: 'alice@pve', permissions: { '/nodes/pve2': { 'Sys.Modify': 1 } } });
    const { registry, jobs } = setUp(cluster);
    close = () => (jobs.close(), registry.close());
    await jobs.pollClusters();
    const cancellable = (n: number): boolean | undefined => registry.list().find((job) => job.upid === tasks[n - 1]?.upid)?.cancellable;
    expect([1, 2, 3, 4].map(cancellable)).toEqual([true, true, false, true]);

    const bobs = registry.list().find((job) => job.upid === tasks[3]?.upid);
    expect(await registry.cancel(bobs?.id ?? '')).toEqual({ cancelled: true });
    expect(cluster.stopped).toEqual([tasks[3]?.upid]);
  });

  it("maps finished tasks' exit statuses and never notifies for others' tasks", async () => {
    const tasks = [
      task(1, { status: 'OK', endtime: 1 }),
      task(2, { status: 'WARNINGS: 2', endtime: 2 }),
      task(3, { status: 'interrupted by signal', endtime: 3 }),
      task(4, { status: "command 'qm start 104' failed", endtime: 4 }),
    ];
    const { registry, jobs, ended } = setUp(fakeCluster(tasks));
    close = () => (jobs.close(), registry.close());
    await jobs.pollClusters();
    const byUpid = (n: number): JobView | undefined => registry.list().find((job) => job.upid === tasks[n - 1]?.upid);
    expect(byUpid(1)).toMatchObject({ origin: 'cluster', state: 'succeeded', endedAt: new Date(1000).toISOString() });
    expect(byUpid(2)).toMatchObject({ state: 'succeeded', warnings: 2 });
    expect(byUpid(3)).toMatchObject({ state: 'cancelled', error: 'interrupted by signal' });
    expect(byUpid(4)).toMatchObject({ state: 'failed', error: "command 'qm start 104' failed" });
    expect(ended).toEqual([]);
  });

  it('lists a task the app follows once, as its own, and drops the tasks of a cluster no longer connected', async () => {
    const running = task(1, { status: 'RUNNING' });
    const cluster = fakeCluster([running]);
    const { registry, jobs } = setUp(cluster);
    close = () => (jobs.close(), registry.close());
    await jobs.pollClusters();
    jobs.follow(profileId, running.upid, 'lab');
    await jobs.pollClusters();
    expect(registry.list()).toEqual([expect.objectContaining({ upid: running.upid, origin: 'app', cancellable: true })]);
    // Adopted, not replaced: the log read while it was only listed stays.
    expect(registry.log(registry.list()[0]?.id ?? '', 0, 10).lines[0]).toContain('(25.00%)');

    const other = fakeCluster([task(2, { status: 'OK', endtime: 5 })]);
    const second = setUp(other);
    await second.jobs.pollClusters();
    expect(second.registry.list()).toHaveLength(1);
    second.sessions.connected.mockResolvedValue([]);
    await second.jobs.pollClusters();
    expect(second.registry.list()).toEqual([]);
    second.jobs.close();
    second.registry.close();
  });
  it('gives a followed migration the duration and downtime its log reports, read over several refreshes', async () => {
    const migration = task(1, { type: 'qmigrate', status: 'RUNNING' });
    const cluster = fakeCluster([migration]);
    const lines = [
      'migration active, transferred 1.0 GiB of 2.0 GiB VM-state, 100.0 MiB/s',
      'average migration speed: 95.0 MiB/s - downtime 42 ms',
      'migration finished successfully (duration 00:00:21)',
    ];
    cluster.client.getTaskLog = (_node, _upid, { start }) => {
      // One line per read; the task ends once the log is complete.
      if (start + 1 === lines.length) migration.status = 'OK';
      return Promise.resolve(start < lines.length ? [{ n: start + 1, t: lines[start] ?? '' }] : []);
    };
    const { registry, jobs } = setUp(cluster);
    close = () => (jobs.close(), registry.close());
    const view = jobs.follow(profileId, migration.upid, 'lab');
    await vi.waitFor(() => expect(registry.view(view.id)?.state).toBe('succeeded'), { timeout: 12_000 });
    expect(registry.view(view.id)?.outcome).toEqual({ key: 'tasks.outcome.migration', params: { duration: 21, downtime: 42 } });
  }, 15_000);

  it('asks a cluster that stopped answering less and less often', async () => {
    vi.useFakeTimers();
    try {
      const running = task(1, { status: 'RUNNING' });
      const cluster = fakeCluster([running]);
      let calls = 0;
      cluster.client.getTaskStatus = () => {
        calls += 1;
        return Promise.reject(new Error('connect ECONNREFUSED'));
      };
      const { registry, jobs } = setUp(cluster);
      close = () => (jobs.close(), registry.close());
      jobs.follow(profileId, running.upid);
      await vi.advanceTimersByTimeAsync(60_000);
      // 1 s doubling to at most 30 s: asked at 0, 2, 6, 14, 30 and 60 s rather than 60 times.
      expect(calls).toBeLessThanOrEqual(6);
      expect(calls).toBeGreaterThanOrEqual(4);
    } finally {
      vi.useRealTimers();
    }
  });
  it('asks about a task it just started soon, then less often, up to once a second', async () => {
    vi.useFakeTimers();
    try {
      const running = task(1, { status: 'RUNNING' });
      const cluster = fakeCluster([running]);
      const asked: number[] = [];
      const started = Date.now();
      const status = cluster.client.getTaskStatus.bind(cluster.client);
      cluster.client.getTaskStatus = (...args) => {
        asked.push(Date.now() - started);
        return status(...args);
      };
      const { registry, jobs } = setUp(cluster);
      close = () => (jobs.close(), registry.close());
      jobs.follow(profileId, running.upid);
      await vi.advanceTimersByTimeAsync(1_000);
      // A task that ends within 100 ms is seen ended at 100 ms, not at 1 s: asked at 0, 100, 300 and 700 ms.
      expect(asked).toEqual([0, 100, 300, 700]);
      await vi.advanceTimersByTimeAsync(5_000);
      // Then every second (1.5 s, 2.5 s, …).
      expect(asked.slice(4)).toEqual([1500, 2500, 3500, 4500, 5500]);
      running.status = 'OK';
      await vi.advanceTimersByTimeAsync(1_000);
      expect(registry.list()[0]?.state).toBe('succeeded');
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads a log page once when two refreshes of the same task overlap', async () => {
    const cluster = fakeCluster([task(1, { status: 'RUNNING' })]);
    const { registry, jobs } = setUp(cluster);
    close = () => (jobs.close(), registry.close());
    await Promise.all([jobs.pollClusters(), jobs.pollClusters()]);
    expect(cluster.logStarts).toEqual([0]);
    expect(registry.log(registry.list()[0]?.id ?? '', 0, 10).lines).toHaveLength(1);
  });
  it("shows only the newest 100 tasks of a cluster's list, and the same ones poll after poll", async () => {
    const tasks = Array.from({ length: 600 }, (_, i) => task(i + 1, { status: 'OK', endtime: i + 2 }));
    const deltas: JobsDelta[] = [];
    vi.useFakeTimers();
    try {
      const registry = new JobRegistry({ emit: (delta) => deltas.push(delta) });
      const jobs = new PveTaskJobs({
        registry,
        sessions: { connected: () => Promise.resolve([{ profileId, name: 'lab' }]), client: () => fakeCluster(tasks).client },
        logger: silentLogger,
      });
      close = () => (jobs.close(), registry.close());
      await jobs.pollClusters();
      await vi.advanceTimersByTimeAsync(250);
      expect(registry.list()).toHaveLength(100);
      expect(registry.list()[99]?.upid).toBe(tasks[500]?.upid);
      deltas.length = 0;
      await jobs.pollClusters();
      await vi.advanceTimersByTimeAsync(250);
      expect(deltas).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
