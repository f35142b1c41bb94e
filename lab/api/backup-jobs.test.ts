/**
 * Backup jobs (`/cluster/backup`) as pve-manager's PVE/API2/Backup.pm keeps
 * them, and a job run as the web UI's "Run now" runs it: its options posted
 * to `POST /nodes/{node}/vzdump`, pruning to its `keep-last`.
 */
import { describe, expect, it } from 'vitest';
import { call, login, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab([]);

type Job = Record<string, string | number>;
/** Numbers the jobs the calendar test creates, ids being unique. */
let jobsCount = 0;

async function jobs(): Promise<Job[]> {
  return (await call(lab, 'GET', '/cluster/backup', { auth })).body.data as Job[];
}

async function job(id: string): Promise<Job> {
  return (await call(lab, 'GET', `/cluster/backup/${id}`, { auth })).body.data as Job;
}

/** pve-manager www/manager6/dc/Backup.js `run_backup_now`: the job without its scheduling keys, `all` as 0/1, posted to the job's node. */
async function runNow(stored: Job): Promise<string> {
  const params: Record<string, string | number> = { ...stored, all: stored.all === 1 ? 1 : 0 };
  for (const key of ['enabled', 'id', 'schedule', 'type', 'node', 'comment', 'digest']) Reflect.deleteProperty(params, key);
  const res = await call(lab, 'POST', `/nodes/${String(stored.node)}/vzdump`, { auth, params });
  expect(res.status).toBe(200);
  return res.body.data as string;
}

async function backupsOf100(): Promise<string[]> {
  const content = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup' } })).body.data as { volid: string }[];
  return content.map((volume) => volume.volid).filter((volid) => volid.includes('vzdump-qemu-100-'));
}

describe('backup jobs', () => {
  it('accepts PVE calendar events and refuses others with PVE’s message', async () => {
    for (const schedule of ['sat 02:00', 'mon..fri 22:30', 'daily', 'weekly', '*-*-01 03:00', '*/15']) {
      const res = await call(lab, 'POST', '/cluster/backup', { auth, params: { id: `ok-${jobsCount++}`, schedule, storage: 'local', all: 1 } });
      expect(res.status, schedule).toBe(200);
    }
    const bad = await call(lab, 'POST', '/cluster/backup', { auth, params: { schedule: 'every saturday', storage: 'local', all: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ schedule: "invalid format - invalid calendar event 'every saturday' - unable to parse calendar event" });
    const hour = await call(lab, 'POST', '/cluster/backup', { auth, params: { schedule: '25:00', storage: 'local', all: 1 } });
    expect(hour.status).toBe(400);
  });

  it('creates with a generated id, reads, updates with delete and digest, deletes', async () => {
    const before = new Set((await jobs()).map((j) => j.id));
    const created = await call(lab, 'POST', '/cluster/backup', {
      auth,
      params: { schedule: 'sat 02:00', storage: 'local', pool: 'students', 'prune-backups': 'keep-last=2', comment: 'weekly', mode: 'snapshot' },
    });
    expect(created.status).toBe(200);
    const added = (await jobs()).find((j) => !before.has(j.id));
    expect(added).toMatchObject({ type: 'vzdump', schedule: 'sat 02:00', pool: 'students', enabled: 1, 'prune-backups': 'keep-last=2', comment: 'weekly' });
    const id = String(added?.id);

    const stale = String((await job(id)).digest);
    expect((await call(lab, 'PUT', `/cluster/backup/${id}`, { auth, params: { vmid: '100', delete: 'comment', enabled: 0, digest: stale } })).status).toBe(200);
    const updated = await job(id);
    expect(updated).toMatchObject({ vmid: '100', enabled: 0 });
    expect(updated.pool).toBeUndefined();
    expect(updated.comment).toBeUndefined();
    const refused = await call(lab, 'PUT', `/cluster/backup/${id}`, { auth, params: { enabled: 1, digest: stale } });
    expect(refused.status).toBe(500);
    expect(refused.body.message).toContain('detected modified configuration');
    expect((await call(lab, 'POST', '/cluster/backup', { auth, params: { schedule: 'daily', storage: 'local', vmid: '100', all: 1 } })).body.errors).toEqual({
      all: "option conflicts with option 'vmid'",
    });

    expect((await call(lab, 'DELETE', `/cluster/backup/${id}`, { auth })).status).toBe(200);
    expect((await call(lab, 'GET', `/cluster/backup/${id}`, { auth })).body.errors).toEqual({ id: `No such job '${id}'` });
  });

  it('needs Sys.Modify on / to create a job', async () => {
    const { userid, password } = lab.ready.accounts.user;
    const user = await login(lab, userid, password);
    const res = await call(lab, 'POST', '/cluster/backup', { auth: user, params: { schedule: 'daily', storage: 'local', all: 1 } });
    expect(res.status).toBe(403);
  });

  it('a job keeping the last 2 run three times leaves two backups', async () => {
    const id = 'backup-keep2';
    const params = {
      id,
      schedule: 'sat 02:00',
      storage: 'local',
      vmid: '100',
      node: 'pve1',
      mode: 'snapshot',
      compress: 'zstd',
      'prune-backups': 'keep-last=2',
    };
    expect((await call(lab, 'POST', '/cluster/backup', { auth, params: { ...params, 'notes-template': '{{guestname}}' } })).status).toBe(200);
    const stored = await job(id);
    const made: string[] = [];
    for (let run = 0; run < 3; run++) {
      const done = await waitTask(lab, auth, await runNow(stored), 120_000);
      expect(done.exitstatus).toBe('OK');
      made.push(...(await backupsOf100()).filter((volid) => !made.includes(volid)));
      // Archive names carry the second: the next run must not reuse this one's.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    expect(made).toHaveLength(3);
    expect((await backupsOf100()).sort()).toEqual(made.slice(1).sort());
  }, 400_000);
});
