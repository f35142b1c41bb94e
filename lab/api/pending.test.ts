/**
 * Config changes of a running guest as qemu-server's update_vm_api does them:
 * what cannot be hot-plugged waits in `[PENDING]` until the next start (a
 * reboot applies it), NICs and disks are plugged and unplugged for real, and
 * the digest covers the pending section. One running guest (100).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SerialConsole } from '../qemu/test-support';
import { guestShell } from './guest-serial';
import { call, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);
const base = '/nodes/pve1/qemu/100';

interface PendingItem {
  key: string;
  value?: string;
  pending?: string;
  delete?: number;
}

async function config(current?: boolean): Promise<Record<string, string>> {
  const params: Record<string, number> = current === undefined ? {} : { current: current ? 1 : 0 };
  return (await call(lab, 'GET', `${base}/config`, { auth, params })).body.data as Record<string, string>;
}

async function pending(): Promise<Map<string, PendingItem>> {
  const items = (await call(lab, 'GET', `${base}/pending`, { auth })).body.data as PendingItem[];
  return new Map(items.map((item) => [item.key, item]));
}

async function runTask(method: 'POST' | 'PUT', path: string, params: Record<string, string | number> = {}): Promise<{ exitstatus: string; log: string[] }> {
  const res = await call(lab, method, path, { auth, params });
  expect(res.status, res.text).toBe(200);
  return waitTask(lab, auth, res.body.data as string, 120_000);
}

async function put(params: Record<string, string | number>): Promise<void> {
  const res = await call(lab, 'PUT', `${base}/config`, { auth, params });
  expect(res.status, res.text).toBe(200);
}

describe('pending changes of a running guest', () => {
  let shell: SerialConsole;

  it('keeps cores and memory pending, applies the name at once, hot-plugs a NIC, and marks a removal as pending', async () => {
    expect((await runTask('POST', `${base}/status/start`)).exitstatus).toBe('OK');
    shell = await guestShell(lab, 100);
    const nicsBefore = (await shell.run('ls /sys/class/net')).split(/\s+/).filter((n) => n.startsWith('eth'));
    const before = await config();
    const done = await runTask('POST', `${base}/config`, {
      cores: 2,
      memory: 256,
      name: 'debian-renamed',
      net1: 'virtio=BC:24:11:00:01:99,bridge=vmbr0',
      delete: 'agent',
      digest: before.digest ?? '',
    });
    expect(done.exitstatus).toBe('OK');
    expect(done.log[0]).toMatch(/^update VM 100: /);

    const current = await config(true);
    expect(current).toMatchObject({ cores: '1', memory: '128', name: 'debian-renamed', agent: '0', net1: 'virtio=BC:24:11:00:01:99,bridge=vmbr0' });
    const merged = await config();
    expect(merged).toMatchObject({ cores: '2', memory: '256', name: 'debian-renamed' });
    expect(merged.agent).toBeUndefined();
    expect(merged.digest).toBe(current.digest);
    expect(merged.digest).not.toBe(before.digest);

    const items = await pending();
    expect(items.get('cores')).toEqual({ key: 'cores', value: '1', pending: '2' });
    expect(items.get('memory')).toEqual({ key: 'memory', value: '128', pending: '256' });
    expect(items.get('agent')).toEqual({ key: 'agent', value: '0', delete: 1 });
    expect(items.get('name')).toEqual({ key: 'name', value: 'debian-renamed' });
    expect(items.get('net1')?.pending).toBeUndefined();

    const nicsAfter = await waitForGuest(shell, 'ls /sys/class/net', (out) => out.split(/\s+/).filter((n) => n.startsWith('eth')).length > nicsBefore.length);
    expect(nicsAfter).toMatch(/eth/);
    expect((await shell.run('cat /sys/class/net/*/address')).toLowerCase()).toContain('bc:24:11:00:01:99');
  }, 180_000);

  it('reverts one pending value and keeps the others', async () => {
    await put({ revert: 'memory' });
    const items = await pending();
    expect(items.get('memory')).toEqual({ key: 'memory', value: '128' });
    expect(items.get('cores')?.pending).toBe('2');
    expect((await config()).memory).toBe('128');
  });

  it('changes the CD medium of the running guest at once, and keeps an IDE drive removal pending', async () => {
    const isoDir = join(lab.ready.stateDir, 'lab1', 'nodes', 'pve1', 'local', 'template', 'iso');
    mkdirSync(isoDir, { recursive: true });
    writeFileSync(join(isoDir, 'tools.iso'), Buffer.alloc(64 * 1024));
    await put({ ide2: 'local:iso/tools.iso,media=cdrom' });
    expect((await config(true)).ide2).toBe('local:iso/tools.iso,media=cdrom');
    expect((await pending()).get('ide2')?.pending).toBeUndefined();
    await put({ ide2: 'none,media=cdrom' });
    expect((await config(true)).ide2).toBe('none,media=cdrom');
    await put({ delete: 'ide2' });
    expect((await pending()).get('ide2')).toEqual({ key: 'ide2', value: 'none,media=cdrom', delete: 1 });
    await put({ revert: 'ide2' });
    expect((await pending()).get('ide2')).toEqual({ key: 'ide2', value: 'none,media=cdrom' });
  });

  it('hot-plugs a new SCSI disk the guest sees, and a detach makes it unused0', async () => {
    await put({ scsi1: 'shared:0.0625,format=qcow2' });
    const added = await config(true);
    expect(added.scsi1).toMatch(/^shared:100\/vm-100-disk-1\.qcow2,size=64M$/);
    expect((await pending()).get('scsi1')?.pending).toBeUndefined();
    await waitForGuest(shell, 'cat /proc/partitions', (out) => / 65536 sdb$/m.test(out));

    await put({ delete: 'scsi1' });
    const detached = await config(true);
    expect(detached.scsi1).toBeUndefined();
    expect(detached.unused0).toBe('shared:100/vm-100-disk-1.qcow2');
    await waitForGuest(shell, 'cat /proc/partitions', (out) => !/ sdb$/m.test(out));
    await put({ delete: 'unused0' });
    expect((await config(true)).unused0).toBeUndefined();
  }, 120_000);

  it('applies what was pending at a reboot, and a stopped guest takes changes at once', async () => {
    shell.close();
    expect((await runTask('POST', `${base}/status/reboot`)).exitstatus).toBe('OK');
    const after = await config(true);
    expect(after).toMatchObject({ cores: '2', memory: '128' });
    expect(after.agent).toBeUndefined();
    expect([...(await pending()).values()].filter((item) => item.pending !== undefined || item.delete !== undefined)).toEqual([]);
    shell = await guestShell(lab, 100);
    expect((await shell.run('grep -c ^processor /proc/cpuinfo')).trim()).toBe('2');
    shell.close();

    expect((await runTask('POST', `${base}/status/stop`)).exitstatus).toBe('OK');
    await put({ cores: 1, delete: 'net1' });
    const stopped = await config(true);
    expect(stopped.cores).toBe('1');
    expect(stopped.net1).toBeUndefined();
    expect((await pending()).get('cores')).toEqual({ key: 'cores', value: '1' });
  }, 240_000);

  it('attaches a detached disk again on another bus: the size read from its image, its unusedN dropped (write_vm_config)', async () => {
    await put({ virtio1: 'shared:0.0625,format=qcow2' });
    await put({ delete: 'virtio1' });
    const volume = (await config(true)).unused0 ?? '';
    expect(volume).toMatch(/^shared:100\/vm-100-disk-\d+\.qcow2$/);
    await put({ scsi2: `${volume},cache=writeback` });
    const attached = await config(true);
    expect(attached.scsi2).toBe(`${volume},cache=writeback,size=64M`);
    expect(attached.unused0).toBeUndefined();
    await put({ delete: 'scsi2', force: 1 });
    expect(Object.values(await config(true))).not.toContain(volume);
  });
});

/** Runs a command in the guest until its output passes `ok` (hot-plug events take a moment under TCG). */
async function waitForGuest(shell: SerialConsole, command: string, ok: (output: string) => boolean): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const output = await shell.run(command);
    if (ok(output)) return output;
    if (Date.now() > deadline) throw new Error(`guest: '${command}' still printed ${JSON.stringify(output)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe('the config digest (SHA-1 of the config file, its pending section included)', () => {
  const stopped = '/nodes/pve1/qemu/116';

  it('keeps the first of two concurrent PUTs with the same digest and refuses the second', async () => {
    const { digest } = (await call(lab, 'GET', `${stopped}/config`, { auth })).body.data as { digest: string };
    const answers = await Promise.all([3072, 1024].map((memory) => call(lab, 'PUT', `${stopped}/config`, { auth, params: { memory, digest } })));
    expect(answers.map((a) => a.status)).toEqual([200, 500]);
    expect(answers[1]?.body.message).toMatch(/^checksum mismatch \(file change by other user\?\)\n?$/);
    const after = (await call(lab, 'GET', `${stopped}/config`, { auth })).body.data as { memory: string; digest: string };
    expect(after.memory).toBe('3072');
    expect(after.digest).not.toBe(digest);
  });

  it('refuses the second of two concurrent POSTs (at the call, or in its task when both got in), keeping the first', async () => {
    const { digest } = (await call(lab, 'GET', `${stopped}/config`, { auth })).body.data as { digest: string };
    const [first, second] = await Promise.all(
      ['first', 'second'].map((description) => call(lab, 'POST', `${stopped}/config`, { auth, params: { description, digest } })),
    );
    expect(first?.status).toBe(200);
    expect((await waitTask(lab, auth, first?.body.data as string)).exitstatus).toBe('OK');
    const refusal = second?.status === 200 ? (await waitTask(lab, auth, second.body.data as string)).exitstatus : second?.body.message;
    expect(refusal).toMatch(/^checksum mismatch \(file change by other user\?\)\n?$/);
    expect(((await call(lab, 'GET', `${stopped}/config`, { auth })).body.data as { description: string }).description).toBe('first');
  });

  it('refuses a move_disk with a stale digest before any task, in assert_if_modified’s words', async () => {
    const stale = await call(lab, 'POST', `${stopped}/move_disk`, { auth, params: { disk: 'scsi0', storage: 'local', digest: '0'.repeat(40) } });
    expect(stale.status).toBe(500);
    expect(stale.body.message).toMatch(/^detected modified configuration - file changed by other user\? Try again\.\n?$/);
  });
});
