/**
 * What a guest sees of disk, snapshot and backup operations, read over its
 * serial console: a resize of a running guest's disk grows the disk inside,
 * a rollback to a snapshot with RAM brings back its memory, a restore brings
 * back the disk's content; plus the answers of the calls around them (digest,
 * backup notes and protection, DELETE of a storage volume). One running guest (100).
 */
import { describe, expect, it } from 'vitest';
import type { SerialConsole } from '../qemu/test-support';
import { guestShell } from './guest-serial';
import { call, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);
const base = '/nodes/pve1/qemu/100';
/** A block of the guest's scsi0 well inside its 1 GiB, written and read with dd. */
const MARK_BLOCK = 4096;

async function runTask(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  params: Record<string, string | number> = {},
): Promise<{ exitstatus: string; log: string[] }> {
  const res = await call(lab, method, path, { auth, params });
  expect(res.status, res.text).toBe(200);
  return waitTask(lab, auth, res.body.data as string, 180_000);
}

async function config(): Promise<Record<string, string>> {
  return (await call(lab, 'GET', `${base}/config`, { auth })).body.data as Record<string, string>;
}

async function writeMark(shell: SerialConsole, text: string): Promise<void> {
  await shell.run(`printf '%-16s' ${text} | dd of=/dev/sda bs=512 seek=${MARK_BLOCK} conv=notrunc,fsync 2>/dev/null; sync`);
}

async function readMark(shell: SerialConsole): Promise<string> {
  // iflag=direct: past the guest's page cache, what the disk holds.
  return (await shell.run(`dd if=/dev/sda bs=512 skip=${MARK_BLOCK} count=1 iflag=direct 2>/dev/null | head -c 16`)).trim();
}

interface BackupItem {
  volid: string;
  notes?: string;
  protected?: number;
}

describe('guest data through disk, snapshot and backup operations', () => {
  let shell: SerialConsole;

  it('grows a running guest’s disk as the guest sees it (QMP block_resize), and a stale digest fails the resize task', async () => {
    // Without the VNC clipboard: QEMU's vdagent blocks saving the RAM state (migration and snapshots with RAM alike).
    expect((await call(lab, 'PUT', `${base}/config`, { auth, params: { vga: 'std' } })).status).toBe(200);
    expect((await runTask('POST', `${base}/status/start`)).exitstatus).toBe('OK');
    shell = await guestShell(lab, 100);
    expect((await shell.run('ls /sys/block')).trim()).toBe('sda');
    expect((await shell.run('cat /sys/block/sda/size')).trim()).toBe(String(1024 ** 3 / 512));
    const before = await config();
    expect((await runTask('PUT', `${base}/resize`, { disk: 'scsi0', size: '+64M', digest: before.digest ?? '' })).exitstatus).toBe('OK');
    expect((await config()).scsi0).toMatch(/size=1088M/);
    let sectors = '';
    for (let i = 0; i < 20 && sectors !== String((1024 ** 3 + 64 * 1024 ** 2) / 512); i++) {
      sectors = (await shell.run('cat /sys/block/sda/size')).trim();
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(sectors).toBe(String((1024 ** 3 + 64 * 1024 ** 2) / 512));

    const stale = await runTask('PUT', `${base}/resize`, { disk: 'scsi0', size: '+64M', digest: before.digest ?? '' }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ exitstatus: 'checksum mismatch (file change by other user?)' });
    expect((await config()).scsi0).toMatch(/size=1088M/);
  }, 180_000);

  it('rolls back to a snapshot with RAM: the guest runs on with the memory it had (a file in /tmp as before)', async () => {
    await shell.run('echo before-snapshot > /tmp/marker');
    expect((await runTask('POST', `${base}/snapshot`, { snapname: 'withram', vmstate: 1 })).exitstatus).toBe('OK');
    const list = (await call(lab, 'GET', `${base}/snapshot`, { auth })).body.data as { name: string; vmstate?: number }[];
    expect(list.find((s) => s.name === 'withram')?.vmstate).toBe(1);
    await shell.run('echo after-snapshot > /tmp/marker');
    expect((await shell.run('cat /tmp/marker')).trim()).toBe('after-snapshot');
    expect((await runTask('POST', `${base}/snapshot/withram/rollback`)).exitstatus).toBe('OK');
    const status = (await call(lab, 'GET', `${base}/status/current`, { auth })).body.data as { status: string; qmpstatus: string };
    expect(status).toMatchObject({ status: 'running', qmpstatus: 'running' });
    expect((await shell.run('cat /tmp/marker')).trim()).toBe('before-snapshot');
    expect((await runTask('DELETE', `${base}/snapshot/withram`)).exitstatus).toBe('OK');
  }, 180_000);

  it('restores a snapshot-mode backup over the same vmid: the disk holds what it held at backup time', async () => {
    await writeMark(shell, 'PRE-BACKUP');
    expect(await readMark(shell)).toBe('PRE-BACKUP');
    const backup = await runTask('POST', '/nodes/pve1/vzdump', {
      vmid: 100,
      mode: 'snapshot',
      storage: 'local',
      compress: 'zstd',
      'notes-template': '{{guestname}} before restore',
      protected: 1,
    });
    expect(backup.exitstatus).toBe('OK');
    const backups = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup', vmid: 100 } })).body.data as BackupItem[];
    expect(backups).toHaveLength(1);
    const item = backups[0] as BackupItem;
    expect(item).toMatchObject({ notes: 'debian-lab before restore', protected: 1 });

    await writeMark(shell, 'POST-BACKUP');
    expect(await readMark(shell)).toBe('POST-BACKUP');
    shell.close();
    expect((await runTask('POST', `${base}/status/stop`)).exitstatus).toBe('OK');
    const restore = await runTask('POST', '/nodes/pve1/qemu', { vmid: 100, archive: item.volid, force: 1 });
    expect(restore.exitstatus).toBe('OK');
    expect((await config()).scsi0).toMatch(/^shared:100\/vm-100-disk-0\.qcow2,/);
    expect((await runTask('POST', `${base}/status/start`)).exitstatus).toBe('OK');
    shell = await guestShell(lab, 100);
    expect(await readMark(shell)).toBe('PRE-BACKUP');
    shell.close();
    expect((await runTask('POST', `${base}/status/stop`)).exitstatus).toBe('OK');
  }, 300_000);

  it('deletes a backup in an imgdel task as Content.pm does, refused while it is protected', async () => {
    const [item] = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup', vmid: 100 } })).body.data as BackupItem[];
    const volume = encodeURIComponent(item?.volid ?? '');
    const refused = await call(lab, 'DELETE', `/nodes/pve1/storage/local/content/${volume}`, { auth });
    expect(refused.status).toBe(200);
    expect(refused.body.data).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:imgdel:100@local:root@pam!lab:$/);
    const failed = await waitTask(lab, auth, refused.body.data as string);
    expect(failed.exitstatus).toBe(`cannot remove protected volume '${item?.volid.replace(/^local:/, '')}' on 'local'`);

    const unprotect = await call(lab, 'PUT', `/nodes/pve1/storage/local/content/${volume}`, { auth, params: { protected: 0, notes: 'kept a while' } });
    expect(unprotect.status, unprotect.text).toBe(200);
    expect(unprotect.body.data).toBeNull();
    const [updated] = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup', vmid: 100 } })).body
      .data as BackupItem[];
    expect(updated).toMatchObject({ notes: 'kept a while' });
    expect(updated?.protected).toBeUndefined();

    const deleted = await call(lab, 'DELETE', `/nodes/pve1/storage/local/content/${volume}`, { auth, params: { delay: 5 } });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.data).toBeNull();
    expect((await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup', vmid: 100 } })).body.data).toEqual([]);
  }, 60_000);

  it('allocates an image as Content.pm create does, and frees it; freeing it again is a task warning', async () => {
    const content = '/nodes/pve1/storage/local/content';
    const allocate = (params: Record<string, string | number>): ReturnType<typeof call> => call(lab, 'POST', content, { auth, params });
    const made = await allocate({ vmid: 4242, filename: 'vm-4242-disk-0.qcow2', size: '3M' });
    expect(made.status, made.text).toBe(200);
    expect(made.body.data).toBe('local:4242/vm-4242-disk-0.qcow2');
    const listed = (await call(lab, 'GET', content, { auth, params: { content: 'images', vmid: 4242 } })).body.data as {
      volid: string;
      size: number;
      format: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ volid: 'local:4242/vm-4242-disk-0.qcow2', size: 3 * 1024 * 1024, format: 'qcow2' })]);
    expect((await allocate({ vmid: 4242, filename: 'vm-4242-disk-0.qcow2', size: '3M' })).statusMessage).toMatch(
      /^disk image '.*\/images\/4242\/vm-4242-disk-0\.qcow2' already exists$/,
    );
    const mismatch = await allocate({ vmid: 4242, filename: 'vm-4242-disk-1.qcow2', size: 1024, format: 'raw' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors).toEqual({ format: 'different storage formats (raw != qcow2)' });
    expect((await allocate({ vmid: 4242, filename: 'vm-4242-disk-1', size: 1024, format: 'raw' })).statusMessage).toBe(
      "unable to parse volume filename 'vm-4242-disk-1'",
    );
    expect((await allocate({ vmid: 4242, filename: 'vm-4242-disk-1.qcow2', size: '1X' })).status).toBe(400);

    const volume = encodeURIComponent('local:4242/vm-4242-disk-0.qcow2');
    expect((await runTask('DELETE', `${content}/${volume}`)).exitstatus).toBe('OK');
    const again = await runTask('DELETE', `${content}/${volume}`);
    expect(again.exitstatus).toBe('WARNINGS: 1');
    expect(again.log.join('\n')).toMatch(/WARN: disk image '.*vm-4242-disk-0\.qcow2' does not exist/);
  }, 60_000);

  it('migrates the running guest live with PVE’s log: time-stamped lines, the average speed and downtime, the duration', async () => {
    expect((await runTask('POST', `${base}/status/start`)).exitstatus).toBe('OK');
    const done = await runTask('POST', `${base}/migrate`, { target: 'pve2', online: 1 });
    expect(done.exitstatus).toBe('OK');
    const lines = done.log.slice(0, -1);
    expect(done.log.at(-1)).toBe('TASK OK');
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /);
    const text = lines.map((line) => line.slice(20));
    expect(text[0]).toBe("starting migration of VM 100 to node 'pve2' (127.0.0.1)");
    expect(text).toContain('migration status: completed');
    expect(text.at(-1)).toMatch(/^migration finished successfully \(duration \d{2}:\d{2}:\d{2}\)$/);
    const average = text.find((line) => line.startsWith('average migration speed: '));
    if (average) expect(average).toMatch(/^average migration speed: \d+\.\d [KMG]?i?B\/s - downtime \d+ ms$/);
    const status = (await call(lab, 'GET', '/nodes/pve2/qemu/100/status/current', { auth })).body.data as { status: string };
    expect(status.status).toBe('running');
    const stop = await call(lab, 'POST', '/nodes/pve2/qemu/100/status/stop', { auth });
    expect((await waitTask(lab, auth, stop.body.data as string)).exitstatus).toBe('OK');
  }, 120_000);
});
