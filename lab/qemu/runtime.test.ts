/**
 * The runtime against real QEMU. All guest-running tests live in this one
 * file so vitest's file parallelism never runs more than two guests at once
 * (a live migration briefly has two processes for one guest).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestRef, GuestRuntime } from '../contracts';
import { buildGuestImage, type GuestImage } from '../guest-image/build-guest-image';
import { createQemuRuntime } from './runtime';
import { prepareSpiceTls } from './spice-tls';
import { SHELL_PROMPT, SerialConsole, testLab, testTask, vncSecurityTypes, type TestLab } from './test-support';
import type { SpiceTlsMaterial } from '../contracts';

/** Starts with a dash, as 1 in 64 of the lab's random guest passwords do: the guest must not take it for an option. */
const PASSWORD = '-labpw42';
let lab: TestLab;
let runtime: GuestRuntime;
let tls: SpiceTlsMaterial;
let image: GuestImage;

function qemuImgJson(...args: string[]): Record<string, unknown> {
  return JSON.parse(execFileSync('qemu-img', [...args, '--output=json'], { encoding: 'utf8' })) as Record<string, unknown>;
}

function snapshotNames(path: string): string[] {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', path], { encoding: 'utf8' })) as { snapshots?: { name: string }[] };
  return (info.snapshots ?? []).map((snapshot) => snapshot.name);
}

function qemuPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', lab.dir], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  lab = testLab('pvelab-qemu-test-');
  tls = await prepareSpiceTls(join(lab.dir, 'spice-tls'), 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve1.lab');
  image = await buildGuestImage(join(lab.dir, 'guest-image'));
  runtime = createQemuRuntime({
    stateDir: lab.dir,
    nodes: () => lab.nodes,
    resolveVolume: lab.resolveVolume,
    spiceTls: tls,
    guestImage: image,
    guestPassword: PASSWORD,
  });
}, 60_000);

afterAll(async () => {
  await runtime?.shutdownAll();
  expect(qemuPids()).toEqual([]);
  lab?.cleanup();
}, 60_000);

describe('a Linux guest on shared storage', () => {
  const vmid = 100;
  let guest: GuestRef;
  let serial: SerialConsole;

  beforeAll(() => {
    execFileSync('qemu-img', ['create', '-f', 'qcow2', lab.resolveVolume('shared:vm-100-disk-0.qcow2', 'pve1'), '64M']);
    guest = {
      vmid,
      node: 'pve1',
      config: {
        name: 'ldap01',
        ostype: 'l26',
        memory: '96',
        cores: '1',
        scsihw: 'virtio-scsi-single',
        scsi0: 'shared:vm-100-disk-0.qcow2,size=64M',
        serial0: 'socket',
        vga: 'std',
        net0: 'virtio=BC:24:11:00:01:00,bridge=vmbr0',
      },
    };
  });

  it('boots to a login prompt on serial0 and lets root log in', async () => {
    const started = Date.now();
    await runtime.start(guest, testTask());
    const info = runtime.info(vmid);
    expect(info?.qmpstatus).toBe('running');
    expect(info?.serialSocket && existsSync(info.serialSocket)).toBe(true);
    serial = await SerialConsole.open(info?.serialSocket ?? '');
    await serial.waitFor(/ldap01 login: $/, 60_000, 0, '\r');
    console.log(`boot to serial login prompt: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await serial.login(PASSWORD, 10_000);
    expect(await serial.run('hostname')).toContain('ldap01');
  }, 90_000);

  it('offers VNC security type 2 once a password is set', async () => {
    await runtime.setVncPassword(vmid, 'ticket01');
    const types = await vncSecurityTypes(runtime.info(vmid)?.vncPort ?? 0);
    expect(types).toContain(2);
    expect(types).not.toContain(1);
  });

  it('suspends and resumes through QMP', async () => {
    await runtime.suspend(vmid, { toDisk: false }, testTask());
    expect(runtime.info(vmid)?.qmpstatus).toBe('paused');
    await runtime.resume(vmid, testTask());
    expect(runtime.info(vmid)?.qmpstatus).toBe('running');
  });

  it('samples cpu, memory and disk counters of an idle guest', async () => {
    await runtime.sample(vmid);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const sample = await runtime.sample(vmid);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(execFileSync('cat', [`/proc/${runtime.info(vmid)?.pid}/status`], { encoding: 'utf8' }))?.[1]) * 1024;
    console.log(`idle guest: cpu ${((sample?.cpu ?? 0) * 100).toFixed(2)} % of its vCPU, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
    expect(sample?.cpu).toBeLessThan(0.2);
    expect(rss).toBeLessThan(256 * 2 ** 20);
    expect(sample?.mem).toBeGreaterThan(0);
    expect(sample?.diskread).toBeGreaterThanOrEqual(0);
  }, 20_000);

  it('migrates live: the guest keeps its RAM and uptime, the source QEMU exits', async () => {
    const marker = `marker-${Date.now()}`;
    await serial.run(`echo ${marker} > /tmp/m`);
    const uptimeBefore = Number((await serial.run('cut -d" " -f1 /proc/uptime')).trim().split('\n').at(-1));
    const source = runtime.info(vmid);
    const task = testTask();
    await runtime.migrate(guest, 'pve2', task);
    serial.close();
    expect(task.lines.some((line) => /migration active, transferred .* of .* VM-state, .*\/s/.test(line) || /migration status: completed/.test(line))).toBe(
      true,
    );
    const target = runtime.info(vmid);
    expect(target?.pid).not.toBe(source?.pid);
    expect(target?.qmpstatus).toBe('running');
    expect(existsSync(`/proc/${source?.pid}`)).toBe(false);
    guest = { ...guest, node: 'pve2' };
    serial = await SerialConsole.open(target?.serialSocket ?? '');
    serial.send('\r');
    await serial.waitFor(SHELL_PROMPT, 10_000);
    expect(await serial.run('cat /tmp/m')).toContain(marker);
    const uptimeAfter = Number((await serial.run('cut -d" " -f1 /proc/uptime')).trim().split('\n').at(-1));
    expect(uptimeAfter).toBeGreaterThan(uptimeBefore);
  }, 120_000);

  it('shuts down through ACPI: the guest powers off and QEMU exits', async () => {
    serial.close();
    await runtime.shutdown(vmid, { timeoutSeconds: 60, forceStop: false }, testTask());
    expect(runtime.info(vmid)).toBeUndefined();
  }, 90_000);
});

describe('a firmware-only guest with a qcow2 disk', () => {
  const vmid = 200;
  let guest: GuestRef;
  let disk: string;

  beforeAll(() => {
    disk = lab.resolveVolume('local:vm-200-disk-0.qcow2', 'pve1');
    execFileSync('qemu-img', ['create', '-f', 'qcow2', disk, '32M']);
    // Some recognisable data so image comparisons mean something.
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 4M', disk]);
    guest = {
      vmid,
      node: 'pve1',
      config: { name: 'dc01', ostype: 'win10', memory: '64', scsi0: 'local:vm-200-disk-0.qcow2,size=32M', vga: 'qxl', usb0: 'spice', boot: 'order=scsi0' },
    };
  });

  it('snapshots a stopped guest with qemu-img (create, rollback, delete)', async () => {
    await runtime.snapshotCreate(guest, 'before', { vmstate: false }, testTask());
    expect(snapshotNames(disk)).toEqual(['before']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xcd 0 1M', disk]);
    await runtime.snapshotRollback(guest, 'before', testTask());
    expect(execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0xab 0 1M', disk], { encoding: 'utf8' })).not.toMatch(/Pattern verification failed/);
    await runtime.snapshotDelete(guest, 'before', testTask());
    expect(snapshotNames(disk)).toEqual([]);
  });

  it('grows a stopped disk with qemu-img resize', async () => {
    await runtime.resizeDisk(guest, 'scsi0', disk, 48 * 2 ** 20, testTask());
    expect(qemuImgJson('info', disk)['virtual-size']).toBe(48 * 2 ** 20);
    await expect(runtime.resizeDisk(guest, 'scsi0', disk, 2 ** 20, testTask())).rejects.toThrow(/shrinking/);
  });

  it('starts at the firmware with TLS-only SPICE carrying the lab certificate', async () => {
    await runtime.start(guest, testTask());
    const info = runtime.info(vmid);
    expect(info?.spiceTlsPort).toBeGreaterThan(0);
    await runtime.setSpicePassword(vmid, 'spice-ticket', 30);
    const subject = await new Promise<Record<string, string>>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: info?.spiceTlsPort ?? 0, ca: tls.caPem, checkServerIdentity: () => undefined }, () => {
        const cert = socket.getPeerCertificate();
        socket.destroy();
        resolve(cert.subject as unknown as Record<string, string>);
      });
      socket.once('error', reject);
    });
    expect(subject.CN).toBe('pve1.lab');
    expect(subject.OU).toBe('PVE Cluster Node');
  }, 30_000);

  it('snapshots a running guest, with and without RAM', async () => {
    await runtime.snapshotCreate(guest, 'disk-only', { vmstate: false }, testTask());
    await runtime.snapshotCreate(guest, 'with-ram', { vmstate: true }, testTask());
    expect(snapshotNames(disk)).toEqual(['disk-only', 'with-ram']);
    await runtime.snapshotRollback(guest, 'with-ram', testTask());
    expect(runtime.info(vmid)?.qmpstatus).toBe('running');
    await runtime.snapshotDelete(guest, 'disk-only', testTask());
    await runtime.snapshotDelete(guest, 'with-ram', testTask());
    expect(snapshotNames(disk)).toEqual([]);
  }, 60_000);

  it('grows a running disk with block_resize', async () => {
    await runtime.resizeDisk(guest, 'scsi0', disk, 64 * 2 ** 20, testTask());
    expect(qemuImgJson('info', '-U', disk)['virtual-size']).toBe(64 * 2 ** 20);
  });

  it('backs up a running guest (snapshot mode) and restores it byte for byte', async () => {
    const archive = join(lab.dir, 'pve1', 'local', 'dump', 'vzdump-qemu-200.tar.zst');
    const task = testTask();
    await runtime.backup(guest, { mode: 'snapshot', archivePath: archive, diskPaths: { scsi0: disk } }, task);
    expect(runtime.info(vmid)?.qmpstatus).toBe('running');
    const restored = join(lab.dir, 'pve1', 'local', 'vm-201-disk-0.raw');
    const config = await runtime.restore(archive, () => restored, testTask());
    expect(config.name).toBe('dc01');
    expect(config.usb0).toBe('spice');
    execFileSync('qemu-img', ['compare', '-U', '-f', 'qcow2', '-F', 'raw', disk, restored]);
  }, 60_000);

  it('moves the disk of a running guest from qcow2 to raw (drive-mirror)', async () => {
    const target = lab.resolveVolume('shared:vm-200-disk-0.raw', 'pve1');
    const task = testTask();
    await runtime.moveDisk(guest, 'scsi0', disk, { path: target, format: 'raw' }, task);
    expect(task.lines.some((line) => /transferred .* of .* \(100\.00%\)/.test(line))).toBe(true);
    expect(qemuImgJson('info', '-U', target).format).toBe('raw');
    execFileSync('qemu-img', ['compare', '-U', '-f', 'qcow2', '-F', 'raw', disk, target]);
    expect(runtime.info(vmid)?.qmpstatus).toBe('running');
    await runtime.stop(vmid, testTask());
    expect(runtime.info(vmid)).toBeUndefined();
  }, 60_000);

  it('hibernates to a state file and resumes from it on the next start', async () => {
    await runtime.start(guest, testTask());
    const statePath = lab.resolveVolume('local:vm-200-state-suspend.raw', 'pve1');
    await runtime.suspend(vmid, { toDisk: true, statePath }, testTask());
    expect(runtime.info(vmid)).toBeUndefined();
    expect(statSync(statePath).size).toBeGreaterThan(100 * 1024);
    const task = testTask();
    await runtime.start({ ...guest, config: { ...guest.config, vmstate: 'local:vm-200-state-suspend.raw' } }, task);
    expect(task.lines.join('\n')).toContain('resuming VM 200');
    expect(runtime.info(vmid)?.qmpstatus).toBe('running');
  }, 60_000);

  it('migrates live with a local disk (QEMU block migration) and the source image goes away', async () => {
    const task = testTask();
    await runtime.migrate(guest, 'pve2', task);
    const moved = lab.resolveVolume('local:vm-200-disk-0.qcow2', 'pve2');
    expect(existsSync(disk)).toBe(false);
    expect(runtime.info(vmid)?.qmpstatus).toBe('running');
    guest = { ...guest, node: 'pve2' };
    // Stopped first: a running QEMU keeps qcow2 metadata in its cache.
    await runtime.stop(vmid, testTask());
    expect(execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -P 0xab 1M 1M', moved], { encoding: 'utf8' })).not.toMatch(/verification failed/);
  }, 90_000);

  it('migrates offline, copying the local disk into the target node', async () => {
    await runtime.migrate(guest, 'pve1', testTask());
    expect(existsSync(disk)).toBe(true);
    expect(existsSync(lab.resolveVolume('local:vm-200-disk-0.qcow2', 'pve2'))).toBe(false);
  });
});

describe('a guest with the VNC clipboard (qemu-vdagent)', () => {
  const guest: GuestRef = { vmid: 300, node: 'pve1', config: { name: 'print01', ostype: 'other', memory: '64', vga: 'std,clipboard=vnc' } };

  it('gets the vdagent channel, refuses live migration as PVE does, resets and reboots', async () => {
    await runtime.start(guest, testTask());
    const pid = runtime.info(300)?.pid;
    expect(execFileSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' })).toContain('qemu-vdagent,id=vdagent,name=vdagent,clipboard=on');
    await expect(runtime.migrate(guest, 'pve2', testTask())).rejects.toThrow(/not live migratable/);
    expect(runtime.info(300)?.qmpstatus).toBe('running');
    await runtime.reset(300, testTask());
    expect(runtime.info(300)?.qmpstatus).toBe('running');
    // A reboot is a new QEMU process, as in PVE.
    await runtime.reboot(300, testTask());
    expect(runtime.info(300)?.pid).not.toBe(pid);
    expect(runtime.info(300)?.qmpstatus).toBe('running');
    await runtime.stop(300, testTask());
    expect(runtime.info(300)).toBeUndefined();
  }, 30_000);
});

describe('images without a guest', () => {
  it('imports a raw image into qcow2 byte for byte, with PVE-style progress', async () => {
    const source = join(lab.dir, 'import.raw');
    const data = Buffer.alloc(8 * 2 ** 20);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    writeFileSync(source, data);
    const target = join(lab.dir, 'imported.qcow2');
    const task = testTask();
    await runtime.importImage(source, { path: target, format: 'qcow2' }, task);
    execFileSync('qemu-img', ['compare', '-f', 'raw', '-F', 'qcow2', source, target]);
    expect(task.lines.at(-1)).toMatch(/^transferred 8\.0 MiB of 8\.0 MiB \(100\.00%\)$/);
  });
});
