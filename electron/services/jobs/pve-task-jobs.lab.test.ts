import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView, JobsDelta } from '../../../shared/domain/jobs';
import { call, login, startLab, waitTask, type Credentials, type RunningLab } from '../../../lab/api/lab-harness';
import { EventHub } from '../ipc';
import { silentLogger } from '../log';
import { createPveClient, type PveClient } from '../pve';
import { JobsService } from './jobs-service';

/**
 * Jobs against the lab, which runs tasks as PVE 9 does: a task the app
 * started followed to its end with its log, others' tasks seen through
 * /cluster/tasks, a stop that ends a task `interrupted by signal`.
 */
const profileId = '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10';
let lab: RunningLab;
let client: PveClient;
let jobs: JobsService;
let rootAuth: Credentials;
const deltas: JobsDelta[] = [];
const ended: JobView[] = [];

beforeAll(async () => {
  lab = await startLab(['--onboot', '0', '--nodes', '2']);
  const cluster = lab.ready.clusters[0];
  if (!cluster) throw new Error('the lab has no cluster');
  const { hostname, port } = new URL(cluster.api);
  const { root } = lab.ready.accounts;
  const [username = '', realm = ''] = root.userid.split('@');
  client = createPveClient({
    endpoints: [{ host: hostname, port: Number(port), trust: { mode: 'pinned', fingerprint: cluster.fingerprint } }],
    auth: { kind: 'password', username, realm },
    credentials: () => Promise.resolve(root.password),
  });
  await client.login();
  rootAuth = await login(lab, root.userid, root.password);
  const events = new EventHub();
  events.attach((event, payload) => {
    if (event === 'jobs.changed') deltas.push(payload as JobsDelta);
  });
  jobs = new JobsService({
    events,
    sessions: { connected: () => Promise.resolve([{ profileId, name: 'lab' }]), client: () => client },
    logger: silentLogger,
    notifier: { jobEnded: (job) => ended.push(job) },
    pollMs: 500,
    followMs: 200,
  });
}, 90_000);

afterAll(async () => {
  jobs?.close();
  client?.close();
  await lab?.stop();
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startTask(path: string, params: Record<string, string | number> = {}): Promise<string> {
  const res = await call(lab, 'POST', path, { auth: rootAuth, params });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.statusMessage}`);
  return res.body.data as string;
}

const jobOf = (upid: string): JobView | undefined => jobs.list().find((job) => job.upid === upid);
const endedJob = (upid: string) => (): JobView | undefined => {
  const job = jobOf(upid);
  return job && job.state !== 'running' ? job : undefined;
};

describe('PVE tasks as jobs', () => {
  it('follows a task the app started to its end, with its whole log, once in the list, and tells the notifier', async () => {
    const upid = await startTask('/nodes/pve1/qemu/100/status/start');
    const started = jobs.followTask(profileId, upid, { cluster: 'lab' });
    expect(started).toMatchObject({ origin: 'app', kind: 'pve:qmstart', state: 'running', cancellable: true, subject: { profileId, node: 'pve1', vmid: 100 } });

    const done = await until('the start to end', endedJob(upid), 60_000);
    expect(done).toMatchObject({ state: 'succeeded', origin: 'app', cancellable: false, user: 'root@pam' });
    const pve = await waitTask(lab, rootAuth, upid);
    const log = await jobs.log(done.id, 0, 5000);
    expect(log).toMatchObject({ lines: pve.log, next: pve.log.length, complete: true });
    expect(ended.map((job) => job.id)).toContain(done.id);
    // Deltas are coalesced: the end arrives within one interval.
    await until('the delta with the end', () => deltas.find((delta) => delta.upserted.some((job) => job.id === done.id && job.state === 'succeeded')), 1000);

    // The cluster's list has the same task: still one job, still the app's.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(jobs.list().filter((job) => job.upid === upid)).toEqual([expect.objectContaining({ origin: 'app' })]);
  }, 90_000);

  it("lists a task started elsewhere within one poll, and a failed one with PVE's exit status", async () => {
    const suspend = await startTask('/nodes/pve1/qemu/100/status/suspend');
    expect((await waitTask(lab, rootAuth, suspend)).exitstatus).toBe('OK');
    // A paused guest ignores the ACPI button: a shutdown with a short timeout fails.
    const shutdown = await startTask('/nodes/pve1/qemu/100/status/shutdown', { timeout: 1 });
    const failed = await until('the failed shutdown', endedJob(shutdown), 30_000);
    expect(failed).toMatchObject({ origin: 'cluster', kind: 'pve:qmshutdown', state: 'failed', error: 'VM quit/powerdown failed - got timeout' });
    expect((await jobs.log(failed.id, 0, 100)).lines.at(-1)).toBe('TASK ERROR: VM quit/powerdown failed - got timeout');
    expect(ended.map((job) => job.id)).not.toContain(failed.id);
  }, 60_000);

  it('stops a running task: it ends interrupted by signal, cancelled, and the guest is as before', async () => {
    const shutdown = await startTask('/nodes/pve1/qemu/100/status/shutdown', { timeout: 120 });
    const running = await until('the running shutdown', () => {
      const job = jobOf(shutdown);
      return job?.state === 'running' && job.cancellable ? job : undefined;
    });
    expect(await jobs.cancel(running.id)).toEqual({ cancelled: true });
    const stopped = await until('the stopped shutdown', endedJob(shutdown));
    expect(stopped).toMatchObject({ state: 'cancelled', error: 'interrupted by signal', cancellable: false });
    expect((await waitTask(lab, rootAuth, shutdown)).exitstatus).toBe('interrupted by signal');
    const status = await call(lab, 'GET', '/nodes/pve1/qemu/100/status/current', { auth: rootAuth });
    expect(status.body.data).toMatchObject({ status: 'running', qmpstatus: 'paused' });
    expect(await jobs.cancel(running.id)).toEqual({ cancelled: false });
  }, 60_000);
  it('shows the progress PVE prints: a move disk of a stopped guest, read from its qemu-img convert lines', async () => {
    const upid = await startTask('/nodes/pve2/qemu/101/move_disk', { disk: 'scsi0', storage: 'shared', format: 'qcow2' });
    jobs.followTask(profileId, upid);
    const done = await until('the move disk to end', endedJob(upid), 60_000);
    expect(done).toMatchObject({ kind: 'pve:qmmove', state: 'succeeded' });
    const lines = (await jobs.log(done.id, 0, 5000)).lines;
    expect(lines).toContainEqual(expect.stringMatching(/^transferred .* of 1\.0 GiB \(100\.00%\)$/));
    expect(done.progress).toMatchObject({ unit: 'bytes', total: 1024 ** 3, done: 1024 ** 3 });
  }, 90_000);
});
