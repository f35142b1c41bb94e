/**
 * The lab as outside tests use it: started with its command line, against
 * real QEMU (at most 2 guests running at any time: the CI machine has 2 cores).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ByteReader } from './consoles/testing/byte-reader';
import { vncAuthResponse } from './consoles/testing/vnc-des';
import { call, repoRoot, startLab, waitTask, type Credentials, type RunningLab } from './api/lab-harness';

let lab: RunningLab;
let auth: Credentials;

beforeAll(async () => {
  lab = await startLab([]);
  auth = { token: lab.ready.accounts.token.value };
}, 90_000);

afterAll(async () => {
  await lab?.stop();
});

const qemuPidsOf = (stateDir: string): number[] =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('qemu-system') && line.includes(stateDir))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

async function run(method: string, path: string, params: Record<string, string | number> = {}): Promise<{ exitstatus: string; log: string[] }> {
  const res = await call(lab, method, path, { auth, params });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.body.message ?? ''}`);
  return waitTask(lab, auth, res.body.data as string, 120_000);
}

async function status(node: string, vmid: number): Promise<Record<string, unknown>> {
  return (await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/status/current`, { auth })).body.data as Record<string, unknown>;
}

describe('lab process', () => {
  it('prints LAB READY with clusters, nodes, accounts, and starts fast with two running guests', async () => {
    const { ready } = lab;
    expect(ready.startupMs).toBeLessThan(20_000);
    const cluster = ready.clusters[0];
    expect(cluster?.name).toBe('lab1');
    expect(cluster?.api).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster?.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(cluster?.proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster?.nodes.map((n) => n.name)).toEqual(['pve1', 'pve2', 'pve3']);
    expect(ready.accounts.token.value).toMatch(/^root@pam!lab=[0-9a-f-]{36}$/);
    expect(ready.accounts.tfa.totpSecret).toMatch(/^[A-Z2-7]+$/);
    const vms = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; status: string }[];
    expect(
      vms
        .filter((v) => v.status === 'running')
        .map((v) => v.vmid)
        .sort(),
    ).toEqual([100, 101]);
    expect(qemuPidsOf(ready.stateDir).length).toBe(2);
    const current = await status('pve1', 100);
    expect(current).toMatchObject({ status: 'running', qmpstatus: 'running', clipboard: 'vnc', serial: 1 });
    expect(current.pid).toBeGreaterThan(0);
    expect((await status('pve2', 101)).spice).toBe(1);
  });

  it('is reachable by python3-proxmoxer with a password and with the token', () => {
    const port = new URL(lab.api).port;
    const cert = lab.ready.clusters[0]?.certificate ?? '';
    const script = join(repoRoot, 'lab/api/proxmoxer_check.py');
    const { root, token } = lab.ready.accounts;
    const byPassword = JSON.parse(execFileSync('/usr/bin/python3', [script, port, cert, 'password', root.userid, root.password], { encoding: 'utf8' })) as {
      vms: number[];
      nodes: string[];
    };
    expect(byPassword.vms).toContain(110);
    expect(byPassword.nodes).toEqual(['pve1', 'pve2', 'pve3']);
    const byToken = JSON.parse(
      execFileSync('/usr/bin/python3', [script, port, cert, 'token', 'root@pam', token.value.slice('root@pam!'.length)], { encoding: 'utf8' }),
    ) as { vms: number[] };
    expect(byToken.vms).toEqual(byPassword.vms);
  });
});

/** Opens PVE's vncwebsocket for a console answer, authenticated with the API token. */
async function openConsole(path: string, port: string, ticket: string): Promise<{ socket: WebSocket; reader: ByteReader }> {
  const url = `${lab.api.replace('https:', 'wss:')}/api2/json${path}/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`;
  const socket = new WebSocket(url, ['binary'], { ca: lab.ca, headers: { Authorization: `PVEAPIToken=${lab.ready.accounts.token.value}` } });
  const reader = new ByteReader();
  socket.on('message', (data: Buffer) => reader.push(Buffer.from(data)));
  socket.on('close', () => reader.end());
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, reader };
}

describe('consoles', () => {
  it('completes an RFB handshake with VNC authentication through vncproxy + vncwebsocket', async () => {
    const res = await call(lab, 'POST', '/nodes/pve1/qemu/100/vncproxy', { auth, params: { websocket: 1, 'generate-password': 1 } });
    expect(res.status).toBe(200);
    const answer = res.body.data as { port: string; ticket: string; user: string; upid: string; cert: string; password: string };
    // qemu-server's vncproxy: the password first, from PVE's `!`…`` ` `` range, so the ticket needs URL encoding.
    expect(answer.password).toMatch(/^[!-`]{8}$/);
    expect(answer.ticket.startsWith(`${answer.password}:PVEVNC:`)).toBe(true);
    expect(answer.ticket).toMatch(/^.{8}:PVEVNC:[0-9A-F]{8}::/);
    expect(answer.user).toBe('root@pam!lab');
    expect(answer.cert).toBe(readFileSync(lab.ready.clusters[0]?.ca.path ?? '', 'utf8'));
    const { socket, reader } = await openConsole('/nodes/pve1/qemu/100', answer.port, answer.ticket);
    try {
      expect((await reader.read(12)).toString()).toBe('RFB 003.008\n');
      socket.send(Buffer.from('RFB 003.008\n'));
      const count = (await reader.read(1))[0] ?? 0;
      const types = [...(await reader.read(count))];
      expect(types).toContain(2);
      socket.send(Buffer.from([2]));
      const challenge = await reader.read(16);
      socket.send(vncAuthResponse(answer.password, challenge));
      expect((await reader.read(4)).readUInt32BE(0)).toBe(0);
      socket.send(Buffer.from([1]));
      const init = await reader.read(24);
      expect(init.readUInt16BE(0)).toBeGreaterThan(0);
      const name = (await reader.read(init.readUInt32BE(20))).toString();
      expect(name.length).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
    const forged = await call(lab, 'POST', '/nodes/pve1/qemu/100/vncproxy', { auth, params: { websocket: 1 } });
    const data = forged.body.data as { port: string };
    await expect(openConsole('/nodes/pve1/qemu/100', data.port, 'PVEVNC:00000000::AAAA')).rejects.toThrow(/401/);
  }, 60_000);

  it("reads the serial login prompt through termproxy with PVE's framing", async () => {
    const res = await call(lab, 'POST', '/nodes/pve1/qemu/100/termproxy', { auth, params: { serial: 'serial0' } });
    expect(res.status).toBe(200);
    const answer = res.body.data as { port: string; ticket: string; user: string };
    const { socket, reader } = await openConsole('/nodes/pve1/qemu/100', answer.port, answer.ticket);
    try {
      socket.send(Buffer.from(`${answer.user}:${answer.ticket}\n`));
      expect((await reader.read(2, 10_000)).toString()).toBe('OK');
      // The guest may still be booting: press Enter until getty prints its prompt.
      const deadline = Date.now() + 45_000;
      let seen = '';
      while (!/login:/.test(seen) && Date.now() < deadline) {
        socket.send(Buffer.from('0:1:\r'));
        seen += await reader.readUntil(/login:|[\s\S]{1,}/, 3000).catch(() => '');
      }
      expect(seen).toMatch(/login:/);
    } finally {
      socket.close();
    }
  }, 60_000);

  it('opens a node shell through /nodes/{node}/termproxy, and the fault switch cuts console websockets', async () => {
    const res = await call(lab, 'POST', '/nodes/pve1/termproxy', { auth });
    expect(res.status).toBe(200);
    const answer = res.body.data as { port: string; ticket: string; user: string };
    const { socket, reader } = await openConsole('/nodes/pve1', answer.port, answer.ticket);
    socket.send(Buffer.from(`${answer.user}:${answer.ticket}\n`));
    expect((await reader.read(2)).toString()).toBe('OK');
    const command = 'echo lab-$((6*7)) $LAB_NODE\r';
    socket.send(Buffer.from(`0:${Buffer.byteLength(command)}:${command}`));
    expect(await reader.readUntil(/lab-42 pve1/, 10_000)).toMatch(/lab-42 pve1/);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const cut = await call(lab, 'POST', '/lab/faults', { auth, params: { 'close-websockets': 1 } });
    expect((cut.body.data as { closedWebSockets: number }).closedWebSockets).toBe(1);
    await closed;
  }, 30_000);

  it('answers spiceproxy like PVE and lets a TLS SPICE link through the CONNECT proxy', async () => {
    const res = await call(lab, 'POST', '/nodes/pve2/qemu/101/spiceproxy', { auth, params: { proxy: '127.0.0.1' } });
    expect(res.status).toBe(200);
    const spice = res.body.data as Record<string, string | number>;
    expect(spice).toMatchObject({
      type: 'spice',
      'delete-this-file': 1,
      'release-cursor': 'Ctrl+Alt+R',
      'toggle-fullscreen': 'Shift+F11',
      'secure-attention': 'Ctrl+Alt+Ins',
    });
    expect(String(spice.ca)).toContain('-----BEGIN CERTIFICATE-----\\n');
    expect(String(spice.ca)).not.toContain('\n');
    // PVE's answer names its proxy's port (3128) on the given address; the lab names where its proxy listens.
    const proxy = new URL(lab.ready.clusters[0]?.proxy ?? '');
    expect(spice.proxy).toBe(`http://127.0.0.1:${proxy.port}`);
    const raw = netConnect(Number(proxy.port), proxy.hostname);
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    raw.write(`CONNECT ${String(spice.host)}:${spice['tls-port']} HTTP/1.0\r\nHost: ${String(spice.host)}:${spice['tls-port']}\r\n\r\n`);
    const reply = await new Promise<string>((resolve) => raw.once('data', (d: Buffer) => resolve(d.toString())));
    expect(reply).toMatch(/^HTTP\/1\.[01] 200/);
    const ca = String(spice.ca).replace(/\\n/g, '\n');
    const secure = tlsConnect({
      socket: raw,
      ca,
      // remote-viewer matches the subject with host-subject instead of the host name.
      checkServerIdentity: (_host, cert) => {
        const subject = Object.entries(cert.subject).map(([k, v]) => `${k}=${String(v)}`);
        const expected = String(spice['host-subject']).split(',');
        return expected.every((part) => subject.includes(part)) ? undefined : new Error(`subject ${subject.join(',')}`);
      },
    });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const reader = new ByteReader();
    secure.on('data', (d: Buffer) => reader.push(d));
    // SpiceLinkHeader (magic REDQ, 2.2, size) + SpiceLinkMess for the main channel.
    const mess = Buffer.alloc(18);
    mess.writeUInt32LE(0, 0);
    mess.writeUInt8(1, 4);
    mess.writeUInt8(0, 5);
    mess.writeUInt32LE(0, 6);
    mess.writeUInt32LE(0, 10);
    mess.writeUInt32LE(18, 14);
    const header = Buffer.alloc(16);
    header.write('REDQ', 0, 'latin1');
    header.writeUInt32LE(2, 4);
    header.writeUInt32LE(2, 8);
    header.writeUInt32LE(mess.length, 12);
    secure.write(Buffer.concat([header, mess]));
    const replyHeader = await reader.read(16);
    expect(replyHeader.subarray(0, 4).toString('latin1')).toBe('REDQ');
    const body = await reader.read(replyHeader.readUInt32LE(12));
    expect(body.readUInt32LE(0)).toBe(0);
    secure.destroy();
  }, 60_000);

  it("names the node's full host name as spiceproxy's proxy when none is given, and refuses a URL", async () => {
    const byDefault = await call(lab, 'POST', '/nodes/pve2/qemu/101/spiceproxy', { auth });
    expect((byDefault.body.data as { proxy: string }).proxy).toBe(`http://pve2.lab:${new URL(lab.ready.clusters[0]?.proxy ?? '').port}`);
    const url = await call(lab, 'POST', '/nodes/pve2/qemu/101/spiceproxy', { auth, params: { proxy: 'http://127.0.0.1:3128' } });
    expect(url.status).toBe(400);
    expect(url.body.errors).toEqual({ proxy: 'invalid format - value does not look like a valid address: http://127.0.0.1:3128' });
  });
});

describe('guest operations over real QEMU', () => {
  it('stops a guest through a qmstop task and refuses to stop it twice', async () => {
    const stop = await run('POST', '/nodes/pve2/qemu/101/status/stop');
    expect(stop.exitstatus).toBe('OK');
    expect((await status('pve2', 101)).status).toBe('stopped');
    expect((await call(lab, 'POST', '/nodes/pve2/qemu/101/status/stop', { auth })).status).toBe(500);
  }, 60_000);

  it('creates a guest whose disk is imported byte-identical (import-from), then grows, snapshots and moves it', async () => {
    const nodeDir = join(lab.ready.stateDir, 'lab1/nodes/pve1/local');
    const source = join(nodeDir, 'import/source.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', source, '64M']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 3M', '-c', 'write -P 0xc3 40M 1M', source]);
    const created = await run('POST', '/nodes/pve1/qemu', {
      vmid: 300,
      name: 'imported',
      memory: 128,
      ostype: 'l26',
      scsihw: 'virtio-scsi-single',
      scsi0: 'local:0,import-from=local:import/source.qcow2,format=qcow2',
      serial0: 'socket',
    });
    expect(created.exitstatus).toBe('OK');
    const config = (await call(lab, 'GET', '/nodes/pve1/qemu/300/config', { auth })).body.data as Record<string, string>;
    expect(config.scsi0).toMatch(/^local:300\/vm-300-disk-0\.qcow2,.*size=64M/);
    const target = join(nodeDir, 'images/300/vm-300-disk-0.qcow2');
    expect(() => execFileSync('qemu-img', ['compare', '-q', source, target])).not.toThrow();

    expect((await run('PUT', '/nodes/pve1/qemu/300/resize', { disk: 'scsi0', size: '+64M' })).exitstatus).toBe('OK');
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', target], { encoding: 'utf8' })) as { 'virtual-size': number };
    expect(info['virtual-size']).toBe(128 * 1024 * 1024);
    expect((await call(lab, 'PUT', '/nodes/pve1/qemu/300/resize', { auth, params: { disk: 'scsi0', size: '32M' } })).status).toBe(500);

    expect((await run('POST', '/nodes/pve1/qemu/300/snapshot', { snapname: 'before', description: 'first' })).exitstatus).toBe('OK');
    const snapshots = (await call(lab, 'GET', '/nodes/pve1/qemu/300/snapshot', { auth })).body.data as { name: string; parent?: string }[];
    expect(snapshots.map((s) => s.name)).toEqual(['before', 'current']);
    expect(snapshots[1]?.parent).toBe('before');
    await call(lab, 'PUT', '/nodes/pve1/qemu/300/config', { auth, params: { memory: 192 } });
    expect((await run('POST', '/nodes/pve1/qemu/300/snapshot/before/rollback')).exitstatus).toBe('OK');
    expect(((await call(lab, 'GET', '/nodes/pve1/qemu/300/config', { auth })).body.data as { memory: string }).memory).toBe('128');
    expect((await run('DELETE', '/nodes/pve1/qemu/300/snapshot/before')).exitstatus).toBe('OK');

    expect((await run('POST', '/nodes/pve1/qemu/300/move_disk', { disk: 'scsi0', storage: 'shared', format: 'raw', delete: 1 })).exitstatus).toBe('OK');
    const moved = (await call(lab, 'GET', '/nodes/pve1/qemu/300/config', { auth })).body.data as Record<string, string>;
    expect(moved.scsi0).toMatch(/^shared:300\/vm-300-disk-0\.raw,/);
    expect(existsSync(target)).toBe(false);
    // The grown tail reads as zeros, which qemu-img compare accepts: the moved data is intact.
    expect(() =>
      execFileSync('qemu-img', ['compare', '-q', '-f', 'qcow2', '-F', 'raw', source, join(lab.ready.stateDir, 'lab1/shared/images/300/vm-300-disk-0.raw')]),
    ).not.toThrow();
  }, 120_000);

  it('backs up with prune-backups keep-last and restores into a new guest', async () => {
    for (let i = 0; i < 2; i++) {
      const backup = await run('POST', '/nodes/pve1/vzdump', {
        vmid: 300,
        storage: 'local',
        mode: 'stop',
        compress: 'zstd',
        'prune-backups': 'keep-last=1',
        'notes-template': '{{guestname}} nightly',
      });
      expect(backup.exitstatus).toBe('OK');
      await new Promise((r) => setTimeout(r, 1100));
    }
    const backups = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'backup' } })).body.data as {
      volid: string;
      vmid: number;
      notes?: string;
    }[];
    expect(backups.length).toBe(1);
    expect(backups[0]).toMatchObject({ vmid: 300, notes: 'imported nightly' });
    expect(backups[0]?.volid).toMatch(/^local:backup\/vzdump-qemu-300-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.vma\.zst$/);
    const restore = await run('POST', '/nodes/pve1/qemu', { vmid: 301, archive: backups[0]?.volid ?? '', storage: 'local' });
    expect(restore.exitstatus).toBe('OK');
    const config = (await call(lab, 'GET', '/nodes/pve1/qemu/301/config', { auth })).body.data as Record<string, string>;
    expect(config.name).toBe('imported');
    expect(config.scsi0).toMatch(/^local:301\/vm-301-disk-0\.qcow2/);
    expect((await run('DELETE', '/nodes/pve1/qemu/301')).exitstatus).toBe('OK');
    expect((await call(lab, 'GET', '/nodes/pve1/qemu/301/config', { auth })).status).toBe(500);
  }, 120_000);

  it('starts the created guest and live-migrates it on shared storage, keeping it running', async () => {
    // At most two QEMU at once: a live migration runs source and target, so stop the lab's own guest first.
    expect((await run('POST', '/nodes/pve1/qemu/100/status/stop')).exitstatus).toBe('OK');
    expect((await run('POST', '/nodes/pve1/qemu/300/status/start')).exitstatus).toBe('OK');
    const before = await status('pve1', 300);
    expect(before.status).toBe('running');
    const precheck = (await call(lab, 'GET', '/nodes/pve1/qemu/300/migrate', { auth })).body.data as {
      running: number;
      local_disks: unknown[];
      allowed_nodes: string[];
    };
    expect(precheck).toMatchObject({ running: 1, local_disks: [], allowed_nodes: ['pve2', 'pve3'] });
    const offline = await call(lab, 'POST', '/nodes/pve1/qemu/300/migrate', { auth, params: { target: 'pve2' } });
    expect(offline.status).toBe(500);
    expect(offline.body.message).toContain("can't migrate running VM without --online");
    const migration = await run('POST', '/nodes/pve1/qemu/300/migrate', { target: 'pve2', online: 1 });
    expect(migration.exitstatus).toBe('OK');
    const after = await status('pve2', 300);
    expect(after).toMatchObject({ status: 'running', qmpstatus: 'running' });
    expect(after.uptime).toBeGreaterThanOrEqual(0);
    expect((await call(lab, 'GET', '/nodes/pve1/qemu/300/status/current', { auth })).status).toBe(500);
  }, 180_000);

  it('aborts a running task with DELETE', async () => {
    expect((await run('POST', '/nodes/pve2/qemu/300/status/suspend')).exitstatus).toBe('OK');
    expect((await status('pve2', 300)).qmpstatus).toBe('paused');
    // A paused guest ignores the ACPI button: the shutdown waits until aborted.
    const res = await call(lab, 'POST', '/nodes/pve2/qemu/300/status/shutdown', { auth, params: { timeout: 120 } });
    const upid = res.body.data as string;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await call(lab, 'DELETE', `/nodes/pve2/tasks/${encodeURIComponent(upid)}`, { auth })).status).toBe(200);
    const done = await waitTask(lab, auth, upid, 10_000);
    expect(done.exitstatus).toBe('interrupted by signal');
    expect((await run('POST', '/nodes/pve2/qemu/300/status/resume')).exitstatus).toBe('OK');
    expect((await status('pve2', 300)).qmpstatus).toBe('running');
  }, 60_000);

  it('stops every QEMU it started on SIGTERM', async () => {
    const { stateDir } = lab.ready;
    expect(qemuPidsOf(stateDir).length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => lab.process.once('exit', (code) => r(code)));
    lab.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(qemuPidsOf(stateDir)).toEqual([]);
  }, 30_000);
});
