/**
 * The lab's GuestRuntime: every guest operation of lab/contracts.ts on a real
 * qemu-system-x86_64 (TCG) per running guest, qemu-img for stopped ones.
 *
 * Conventions the API layer relies on:
 * - sockets live in `<stateDir>/run` (or a short /tmp folder when that path
 *   is too long for a unix socket): `<vmid>.<n>.qmp`, `<vmid>.<n>.serial0`;
 *   `n` grows with each process of the guest (a migration target has both);
 * - `serial0: socket` gives a unix socket (info().serialSocket);
 * - SPICE (TLS only) when `vga` is qxl*, virtio* or any `usbN: spice`;
 * - `vga: ...,clipboard=vnc` adds qemu-vdagent; `usbN: spice` a usbredir channel;
 * - a config with `vmstate: <volid>` (PVE's hibernation) starts by loading
 *   that state file (written by suspend toDisk) and resumes.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestRef, GuestRuntime, GuestSample, RunningGuestInfo, TaskContext } from '../contracts';
import { buildGuestImage, type GuestImage } from '../guest-image/build-guest-image';
import { backupGuest, restoreBackup } from './backup';
import { driveNodeName, runJob } from './block-jobs';
import { freeTcpPort } from './free-port';
import { launchGuestProcess, quitGuestProcess, refreshStatus, waitForExit, type GuestProcess } from './guest-process';
import { migrateGuest } from './migration';
import { guestDisks, guestMemoryMiB, guestCpuTopology, imageFormatOf, wantsSpice } from './pve-config';
import { convertImage, imageInfo, resizeImage, snapshotImage, sourceFormatOf } from './qemu-img';
import type { LaunchExtras, QemuRuntimeOptions, RuntimeContext } from './runtime-context';
import { moveDiskLive } from './disk-move';
import { changeMedium, plugDisk, plugNic, unplugDevice } from './hotplug';

export type { QemuRuntimeOptions } from './runtime-context';

const MAX_UNIX_SOCKET_PATH = 100;
const CLOCK_TICKS_PER_SECOND = 100;

function socketDir(stateDir: string): string {
  const preferred = join(stateDir, 'run');
  if (preferred.length + 24 <= MAX_UNIX_SOCKET_PATH) {
    // The guests' password files pass through here too (mkdtemp's folders are 0700 already).
    mkdirSync(preferred, { recursive: true, mode: 0o700 });
    return preferred;
  }
  return mkdtempSync(join(tmpdir(), 'pvelab-qemu-'));
}

function defaultBootsLinux(guest: GuestRef): boolean {
  return guest.config.ostype === 'l26';
}

/** Disks a snapshot covers: every non-cdrom disk, which must all be qcow2 (PVE refuses otherwise). */
function snapshotDisks(ref: GuestRef, paths: Record<string, string>): { key: string; path: string }[] {
  const disks = guestDisks(ref.config).filter((disk) => !disk.cdrom);
  return disks.map((disk) => {
    const path = paths[disk.key];
    if (!path || imageFormatOf(path, disk.options.format) !== 'qcow2') {
      throw new Error(`snapshot feature is not available (disk ${disk.key} is not qcow2)`);
    }
    return { key: disk.key, path };
  });
}

export function createQemuRuntime(options: QemuRuntimeOptions): GuestRuntime {
  const guests = new Map<number, GuestProcess>();
  const runDir = socketDir(options.stateDir);
  const log = options.log ?? (() => undefined);
  const password = options.guestPassword ?? 'lab';
  if (!/^[\x21-\x7e]+$/.test(password)) throw new Error('guestPassword must be printable ASCII without spaces');
  let generation = 0;
  let imagePromise: Promise<GuestImage> | undefined;
  const guestImage = (): Promise<GuestImage> =>
    (imagePromise ??= options.guestImage ? Promise.resolve(options.guestImage) : buildGuestImage(join(options.stateDir, 'guest-image')));

  const ctx: RuntimeContext = {
    options,
    guests,
    log,
    diskPaths(ref, node) {
      const paths: Record<string, string> = {};
      for (const disk of guestDisks(ref.config)) {
        if (disk.volid !== 'none' && disk.volid !== 'cdrom') paths[disk.key] = options.resolveVolume(disk.volid, node);
      }
      return paths;
    },
    async launch(ref, extras: LaunchExtras = {}) {
      const node = extras.node ?? ref.node;
      const bootsLinux = (options.bootsLinux ?? defaultBootsLinux)(ref);
      const linux = bootsLinux ? await guestImage() : undefined;
      const n = ++generation;
      const base = join(runDir, `${ref.vmid}.${n}`);
      const spice = wantsSpice(ref.config);
      // QEMU reads it while starting (-fw_cfg file=) and keeps the bytes: the file goes once QEMU answered or failed.
      const passwordFile = `${base}.password`;
      if (linux) await writeFile(passwordFile, password, { mode: 0o600 });
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            const process = await launchGuestProcess({
              vmid: ref.vmid,
              node,
              ref: { ...ref, node },
              bootsLinux,
              config: ref.config,
              diskPaths: extras.diskPaths ?? ctx.diskPaths(ref, node),
              qmpSocket: `${base}.qmp`,
              serialSocket: `${base}.serial0`,
              ...(spice ? { spice: { tlsPort: await freeTcpPort(), x509Dir: options.spiceTls.x509Dir } } : {}),
              ...(linux ? { linux: { ...linux, hostname: hostnameOf(ref), passwordFile } } : {}),
              ...(extras.incoming ? { incoming: extras.incoming } : {}),
              ...(extras.loadvm ? { loadvm: extras.loadvm } : {}),
              log,
            });
            if (!process.serialSocket || ref.config.serial0 !== 'socket') delete process.serialSocket;
            void process.exited.then(() => {
              if (guests.get(ref.vmid) === process) guests.delete(ref.vmid);
              const { exitCode, signalCode } = process.child;
              const tail = process.stderrTail();
              log(`vm ${ref.vmid}: qemu ${process.pid} exited (${signalCode ?? `code ${exitCode}`})${tail ? `: ${tail.slice(-600)}` : ''}`);
            });
            return process;
          } catch (error) {
            // The SPICE port is chosen before QEMU binds it; another process may take it in between.
            if (!spice || attempt >= 3 || !/in use/i.test((error as Error).message)) throw error;
          }
        }
      } finally {
        if (linux) await rm(passwordFile, { force: true });
      }
    },
    running(vmid) {
      const guest = guests.get(vmid);
      return guest && !guest.hasExited() ? guest : undefined;
    },
    requireRunning(vmid) {
      const guest = ctx.running(vmid);
      if (!guest) throw new Error(`VM ${vmid} not running`);
      return guest;
    },
    async startGuest(ref, task) {
      if (ctx.running(ref.vmid)) throw new Error(`VM ${ref.vmid} already running`);
      const statePath = ref.config.vmstate ? options.resolveVolume(ref.config.vmstate, ref.node) : undefined;
      const process = await ctx.launch(ref, statePath ? { incoming: `exec:cat ${shellQuote(statePath)}` } : {});
      guests.set(ref.vmid, process);
      if (statePath) {
        task.log(`resuming VM ${ref.vmid} from ${statePath}`);
        await waitIncomingDone(process);
      }
      await process.qmp.execute('cont');
      await refreshStatus(process);
    },
    async stopGuest(vmid) {
      const guest = ctx.running(vmid);
      if (guest) await quitGuestProcess(guest);
    },
    async powerdown(guest, timeoutSeconds) {
      await guest.qmp.execute('system_powerdown');
      return waitForExit(guest, timeoutSeconds * 1000);
    },
  };

  const runtime: GuestRuntime = {
    info(vmid): RunningGuestInfo | undefined {
      const guest = ctx.running(vmid);
      if (!guest) return undefined;
      return {
        pid: guest.pid,
        qmpstatus: guest.qmpstatus,
        startedAt: guest.startedAt,
        vncPort: guest.vncPort,
        ...(guest.spiceTlsPort ? { spiceTlsPort: guest.spiceTlsPort } : {}),
        ...(guest.serialSocket ? { serialSocket: guest.serialSocket } : {}),
      };
    },

    async sample(vmid): Promise<GuestSample | undefined> {
      const guest = ctx.running(vmid);
      if (!guest) return undefined;
      return sampleGuest(guest);
    },

    start: (guest, task) => ctx.startGuest(guest, task),

    async stop(vmid, task) {
      if (!ctx.running(vmid)) {
        task.log(`VM ${vmid} is not running`);
        return;
      }
      await ctx.stopGuest(vmid);
    },

    async shutdown(vmid, { timeoutSeconds, forceStop }, task) {
      const guest = ctx.requireRunning(vmid);
      if (await ctx.powerdown(guest, timeoutSeconds)) return;
      if (!forceStop) throw new Error('VM quit/powerdown failed - got timeout');
      task.log('VM quit/powerdown failed - terminating now with SIGTERM');
      await quitGuestProcess(guest);
    },

    async reboot(vmid, task, next) {
      // PVE reboots by shutting down and starting a new QEMU process (which applies pending changes). Guests
      // at the firmware screen ignore ACPI, so they are stopped hard.
      const guest = ctx.requireRunning(vmid);
      if (!guest.bootsLinux || !(await ctx.powerdown(guest, 60))) await quitGuestProcess(guest);
      await ctx.startGuest(next ?? guest.ref, task);
    },

    async plugDevice(vmid, key, value, imagePath) {
      const guest = ctx.requireRunning(vmid);
      if (/^net\d+$/.test(key)) await plugNic(guest, key, value);
      else if (imagePath) await plugDisk(guest, key, value, imagePath);
      else throw new Error(`disk '${key}' has no image to plug`);
      guest.ref.config[key] = value;
    },

    async unplugDevice(vmid, key) {
      const guest = ctx.requireRunning(vmid);
      await unplugDevice(guest, key);
      Reflect.deleteProperty(guest.ref.config, key);
    },

    async changeMedium(vmid, key, imagePath) {
      await changeMedium(ctx.requireRunning(vmid), key, imagePath);
    },

    async reset(vmid) {
      await ctx.requireRunning(vmid).qmp.execute('system_reset');
    },

    async suspend(vmid, { toDisk, statePath }, task) {
      const guest = ctx.requireRunning(vmid);
      await guest.qmp.execute('stop');
      await refreshStatus(guest);
      if (!toDisk) return;
      if (!statePath) throw new Error('suspend to disk needs a statePath');
      task.log(`saving VM state to ${statePath}`);
      await guest.qmp.execute('migrate-set-parameters', { 'max-bandwidth': 1024 ** 3 });
      await guest.qmp.execute('migrate', { uri: `exec:cat > ${shellQuote(statePath)}` });
      await waitOutgoingDone(guest, task);
      await quitGuestProcess(guest);
    },

    async resume(vmid) {
      const guest = ctx.requireRunning(vmid);
      if (guest.qmpstatus === 'suspended') await guest.qmp.execute('system_wakeup');
      else await guest.qmp.execute('cont');
      await refreshStatus(guest);
    },

    async snapshotCreate(ref, name, { vmstate }, task) {
      const disks = snapshotDisks(ref, ctx.diskPaths(ref, ref.node));
      const guest = ctx.running(ref.vmid);
      if (!guest) {
        for (const disk of disks) await snapshotImage(disk.path, 'create', name);
        return;
      }
      if (vmstate && disks[0]) {
        task.log(`saving VM state and disks (${disks.map((disk) => disk.key).join(', ')})`);
        const nodes = await Promise.all(disks.map((disk) => driveNodeName(guest.qmp, disk.key)));
        const jobId = `snapshot-save-${ref.vmid}`;
        await guest.qmp.execute('snapshot-save', { 'job-id': jobId, tag: name, vmstate: nodes[0], devices: nodes });
        await runJob(guest.qmp, jobId, 300_000);
        return;
      }
      for (const disk of disks) {
        await guest.qmp.execute('blockdev-snapshot-internal-sync', { device: `drive-${disk.key}`, name });
      }
    },

    async snapshotRollback(ref, name, task) {
      const disks = snapshotDisks(ref, ctx.diskPaths(ref, ref.node));
      const first = disks[0];
      if (!first) throw new Error('guest has no disk to roll back');
      const snapshot = (await imageInfo(first.path, { format: 'qcow2', forceShare: true })).snapshots.find((s) => s.name === name);
      if (!snapshot) throw new Error(`snapshot '${name}' does not exist`);
      const withState = snapshot.vmStateSize > 0;
      const guest = ctx.running(ref.vmid);
      if (guest && withState) {
        const nodes = await Promise.all(disks.map((disk) => driveNodeName(guest.qmp, disk.key)));
        const jobId = `snapshot-load-${ref.vmid}`;
        await guest.qmp.execute('snapshot-load', { 'job-id': jobId, tag: name, vmstate: nodes[0], devices: nodes });
        await runJob(guest.qmp, jobId, 300_000);
        await refreshStatus(guest);
        return;
      }
      if (guest) await quitGuestProcess(guest);
      if (withState) {
        // As PVE: a snapshot with RAM is rolled back by starting the VM from it.
        task.log('starting VM from the snapshot state');
        const process = await ctx.launch(ref, { loadvm: name });
        guests.set(ref.vmid, process);
        await process.qmp.execute('cont');
        await refreshStatus(process);
        return;
      }
      for (const disk of disks) await snapshotImage(disk.path, 'apply', name);
    },

    async snapshotDelete(ref, name) {
      const disks = snapshotDisks(ref, ctx.diskPaths(ref, ref.node));
      const guest = ctx.running(ref.vmid);
      for (const disk of disks) {
        if (guest) await guest.qmp.execute('blockdev-snapshot-delete-internal-sync', { device: `drive-${disk.key}`, name });
        else await snapshotImage(disk.path, 'delete', name);
      }
    },

    async resizeDisk(ref, disk, imagePath, newSizeBytes, task) {
      const format = imageFormatOf(imagePath);
      const guest = ctx.running(ref.vmid);
      const current = (await imageInfo(imagePath, { format, forceShare: true })).virtualSize;
      if (newSizeBytes < current) throw new Error('shrinking disks is not supported');
      task.log(`resizing ${disk} from ${current} to ${newSizeBytes} bytes`);
      if (guest) await guest.qmp.execute('block_resize', { device: `drive-${disk}`, size: newSizeBytes });
      else await resizeImage(imagePath, format, newSizeBytes);
    },

    async moveDisk(ref, disk, from, to, task) {
      const guest = ctx.running(ref.vmid);
      if (guest) {
        await moveDiskLive(guest, disk, to, task);
        return;
      }
      await convertImage({ path: from, format: imageFormatOf(from) }, to, task);
    },

    async importImage(source, target, task) {
      const format = sourceFormatOf(source);
      if (!format) throw new Error(`unsupported image format of '${source}' (expected .raw .img .qcow2 .vmdk .vhd .vhdx .vdi)`);
      await convertImage({ path: source, format }, target, task);
    },

    backup: (ref, backupOptions, task) => backupGuest(ctx, ref, backupOptions, task),
    restore: (archivePath, targetDiskPaths, task) => restoreBackup(archivePath, targetDiskPaths, task),
    migrate: (ref, targetNode, task) => migrateGuest(ctx, ref, targetNode, task),

    async setVncPassword(vmid, vncPassword) {
      const guest = ctx.requireRunning(vmid);
      await guest.qmp.execute('set_password', { protocol: 'vnc', password: vncPassword });
      // As PVE's vncproxy: the password opens the door for 30 s; an open session stays.
      await guest.qmp.execute('expire_password', { protocol: 'vnc', time: '+30' });
    },

    async setSpicePassword(vmid, spicePassword, validSeconds) {
      const guest = ctx.requireRunning(vmid);
      if (!guest.spiceTlsPort) throw new Error(`VM ${vmid} has no SPICE display`);
      await guest.qmp.execute('set_password', { protocol: 'spice', password: spicePassword });
      await guest.qmp.execute('expire_password', { protocol: 'spice', time: `+${Math.max(1, Math.round(validSeconds))}` });
    },

    async shutdownAll() {
      await Promise.all([...guests.values()].map((guest) => quitGuestProcess(guest, 5_000)));
      guests.clear();
    },
  };
  return runtime;
}

function hostnameOf(ref: GuestRef): string {
  const name = (ref.config.name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
  return name || `vm${ref.vmid}`;
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function waitIncomingDone(guest: GuestProcess): Promise<void> {
  for (;;) {
    const status = await refreshStatus(guest);
    if (status !== 'inmigrate') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls an outgoing migration (to a file or a peer) until it completes. */
export async function waitOutgoingDone(guest: GuestProcess, task: TaskContext): Promise<void> {
  for (;;) {
    const info = await guest.qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
    if (info.status === 'completed') return;
    if (info.status === 'failed' || info.status === 'cancelled') throw new Error(`migration ${info.status}: ${info['error-desc'] ?? ''}`);
    if (task.signal.aborted) {
      await guest.qmp.execute('migrate_cancel').catch(() => undefined);
      throw new Error('interrupted by signal');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function sampleGuest(guest: GuestProcess): Promise<GuestSample> {
  const [stat, status] = await Promise.all([readFile(`/proc/${guest.pid}/stat`, 'utf8'), readFile(`/proc/${guest.pid}/status`, 'utf8')]);
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const now = Date.now();
  const { sockets, cores } = guestCpuTopology(guest.ref.config);
  const previous = guest.cpuSample ?? { ticks: ticks, at: guest.startedAt * 1000 };
  guest.cpuSample = { ticks, at: now };
  const seconds = Math.max(0.001, (now - previous.at) / 1000);
  // PVE's cpu: share of the guest's vCPUs in use, 1.0 = all of them busy.
  const cpu = Math.min(1, (ticks - previous.ticks) / CLOCK_TICKS_PER_SECOND / seconds / (sockets * cores));
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const mem = Math.min(rssKiB * 1024, guestMemoryMiB(guest.ref.config) * 1024 * 1024);
  let diskread = 0;
  let diskwrite = 0;
  const stats = await guest.qmp.execute<{ stats: { rd_bytes: number; wr_bytes: number } }[]>('query-blockstats').catch(() => []);
  for (const entry of stats) {
    diskread += entry.stats.rd_bytes;
    diskwrite += entry.stats.wr_bytes;
  }
  // User-mode NICs have no byte counters in QMP; the lab reports 0 network traffic.
  return { cpu, mem, netin: 0, netout: 0, diskread, diskwrite };
}
