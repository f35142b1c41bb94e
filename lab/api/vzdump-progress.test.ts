/**
 * A backup of a running guest as PVE runs it with `bwlimit`: it lasts long
 * enough to watch, prints qemu-server's progress lines, and DELETE on the
 * task stops it with the guest as before.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call, waitFor, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '1']);

const taskPath = (upid: string): string => `/nodes/pve1/tasks/${encodeURIComponent(upid)}`;
/** qemu-server VZDump/QemuServer.pm's status line: `INFO:  45% (460.8 MiB of 1.0 GiB) in 7s, read: 64.0 MiB/s, write: 64.0 MiB/s`. */
const progressLine =
  /^INFO: {1,3}\d{1,3}% \(\d+\.\d (B|KiB|MiB|GiB) of 1\.0 GiB\) in (\d+m )?\d+s, read: \d+\.\d (B|KiB|MiB|GiB)\/s, write: \d+\.\d (B|KiB|MiB|GiB)\/s$/;

async function taskLog(upid: string): Promise<string[]> {
  const res = await call(lab, 'GET', `${taskPath(upid)}/log`, { auth, params: { limit: 0 } });
  return (res.body.data as { t: string }[]).map((line) => line.t);
}

async function guest100(): Promise<{ status: string; lock?: string }> {
  return (await call(lab, 'GET', '/nodes/pve1/qemu/100/status/current', { auth })).body.data as { status: string; lock?: string };
}

/** Every file or folder under the lab's state whose name holds a backup of guest 100, finished or partial. */
function backupFilesOf100(): string[] {
  return readdirSync(lab.ready.stateDir, { recursive: true, encoding: 'utf8' }).filter((path) => path.includes('vzdump-qemu-100-'));
}

describe('vzdump of a running guest with bwlimit', () => {
  it('prints PVE’s progress while it copies and stops on DELETE with the guest running, unlocked, and no archive left', async () => {
    await waitFor('guest 100 running', async () => ((await guest100()).status === 'running' ? true : undefined), 40_000);
    // 64 MiB/s over guest 100's 1 GiB disk: a 16 s copy, stopped after two progress lines (~6 s).
    const started = await call(lab, 'POST', '/nodes/pve1/vzdump', { auth, params: { vmid: 100, storage: 'local', mode: 'snapshot', bwlimit: 65536 } });
    expect(started.status).toBe(200);
    const upid = started.body.data as string;
    expect((await guest100()).lock).toBe('backup');

    const progress = await waitFor(
      'two progress lines',
      async () => {
        const lines = (await taskLog(upid)).filter((line) => progressLine.test(line));
        return lines.length >= 2 ? lines : undefined;
      },
      15_000,
    );
    const percents = progress.map((line) => Number(/(\d+)%/.exec(line)?.[1]));
    expect(percents[1]).toBeGreaterThan(percents[0] ?? 100);
    expect(percents.at(-1)).toBeLessThan(100);
    const stopAsked = Date.now();
    expect((await call(lab, 'DELETE', taskPath(upid), { auth })).status).toBe(200);
    const done = await waitTask(lab, auth, upid, 10_000);
    expect(Date.now() - stopAsked).toBeLessThan(3_000);
    expect(done.exitstatus).toBe('interrupted by signal');
    expect(done.log.at(-1)).toBe('TASK ERROR: interrupted by signal');

    await waitFor('the backup lock released', async () => ((await guest100()).lock === undefined ? true : undefined), 5_000);
    expect((await guest100()).status).toBe('running');
    await waitFor('the partial archive removed', () => (backupFilesOf100().length === 0 ? true : undefined), 5_000);
    const archives = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup' } })).body.data as { volid: string }[];
    expect(archives.filter((volume) => volume.volid.includes('vzdump-qemu-100-'))).toEqual([]);
  }, 60_000);
});
