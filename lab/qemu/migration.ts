/**
 * Guest migration between lab nodes, with the task log PVE writes.
 *
 * Live (guest running): a second QEMU, tagged with the target node, is
 * started with `-incoming defer` on the same images (shared storage) or on
 * fresh images in the target node's path (local disks, copied by QEMU's
 * block migration), listens on tcp:127.0.0.1:<port chosen by QEMU>, and the
 * source streams its RAM and device state there. When the target has the
 * state it is continued and the source quits: the guest keeps running.
 *
 * Offline: images on shared storage stay; local images are copied into the
 * target node's path and the source copies removed, as PVE does.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GuestRef, TaskContext } from '../contracts';
import { renderBytes } from './format';
import { delay, quitGuestProcess, refreshStatus, type GuestProcess } from './guest-process';
import { displaySpec, guestDisks, imageFormatOf } from './pve-config';
import { createImage, imageInfo } from './qemu-img';
import type { RuntimeContext } from './runtime-context';

/** The lab's migration bandwidth, bytes per second: 64 MiB/s, PVE's `bwlimit` `migration=65536` (KiB/s). */
const migrationSpeedLimit = 64 * 1024 * 1024;

interface MigrateInfo {
  status?: string;
  'error-desc'?: string;
  'total-time'?: number;
  downtime?: number;
  ram?: { transferred: number; total: number; remaining: number; mbps: number };
  disk?: { transferred: number; total: number; remaining: number };
  'socket-address'?: { type: string; host?: string; port?: string }[];
}

interface DiskPlacement {
  key: string;
  source: string;
  target: string;
}

function placements(ctx: RuntimeContext, ref: GuestRef, targetNode: string): DiskPlacement[] {
  const sourcePaths = ctx.diskPaths(ref, ref.node);
  const targetPaths = ctx.diskPaths(ref, targetNode);
  return guestDisks(ref.config)
    .filter((disk) => !disk.cdrom && sourcePaths[disk.key] && targetPaths[disk.key])
    .map((disk) => ({ key: disk.key, source: sourcePaths[disk.key] ?? '', target: targetPaths[disk.key] ?? '' }));
}

export async function migrateGuest(ctx: RuntimeContext, ref: GuestRef, targetNode: string, task: TaskContext): Promise<void> {
  if (targetNode === ref.node) throw new Error(`target node is the current node '${targetNode}'`);
  const node = ctx.options.nodes().find((candidate) => candidate.name === targetNode);
  if (!node) throw new Error(`no such cluster node '${targetNode}'`);
  if (!node.online) throw new Error(`target node '${targetNode}' is not online`);
  const disks = placements(ctx, ref, targetNode);
  const guest = ctx.running(ref.vmid);
  if (guest && displaySpec(guest.ref.config).vncClipboard) {
    // QEMU's qemu-vdagent migrates from machine version 10.1 on; the lab's guests report 9.2, so PVE 9 refuses with this message.
    throw new Error("VMs with 'clipboard' set to 'vnc' are not live migratable with QEMU/machine versions older than 10.1!");
  }
  if (guest) await migrateLive(ctx, guest, ref, targetNode, disks, task);
  else await migrateOffline(disks, task);
}

/** pve-guest-common AbstractMigrate.pm `$msg2text`: every line of a migration log starts with the local time. */
function stamped(line: string): string {
  const now = new Date();
  const pad = (value: number): string => String(value).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `${date} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())} ${line}`;
}

/**
 * AbstractMigrate.pm `migrate` around a migration's steps: time-stamped lines, then `migration finished successfully
 * (duration HH:MM:SS)`, or on an error `ERROR: migration aborted (duration HH:MM:SS): <error>` and the task's exit
 * status `migration aborted`.
 */
export async function migrationSteps(task: TaskContext, steps: (task: TaskContext) => Promise<void>): Promise<void> {
  const started = Date.now();
  const log = { log: (line: string) => task.log(stamped(line)), signal: task.signal };
  try {
    await steps(log);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\n+$/, '');
    task.log(stamped(`ERROR: migration aborted (duration ${formatDuration(Date.now() - started)}): ${message}`));
    throw new Error('migration aborted');
  }
  log.log(`migration finished successfully (duration ${formatDuration(Date.now() - started)})`);
}

async function migrateOffline(disks: DiskPlacement[], task: TaskContext): Promise<void> {
  for (const disk of disks) {
    if (disk.source === disk.target) continue;
    task.log(`copying local disk ${disk.key} (${disk.source}) to ${disk.target}`);
    await mkdir(dirname(disk.target), { recursive: true });
    await copyFile(disk.source, disk.target);
    if (task.signal.aborted) {
      await rm(disk.target, { force: true });
      throw new Error('interrupted by signal');
    }
  }
  for (const disk of disks) {
    if (disk.source !== disk.target) await rm(disk.source, { force: true });
  }
}

async function migrateLive(
  ctx: RuntimeContext,
  source: GuestProcess,
  ref: GuestRef,
  targetNode: string,
  disks: DiskPlacement[],
  task: TaskContext,
): Promise<void> {
  const localDisks = disks.filter((disk) => disk.source !== disk.target);
  for (const disk of localDisks) {
    const format = imageFormatOf(disk.source);
    const { virtualSize } = await imageInfo(disk.source, { format, forceShare: true });
    task.log(`found local disk '${disk.key}' (${disk.source}), copying to ${disk.target} with block migration`);
    await mkdir(dirname(disk.target), { recursive: true });
    await createImage(disk.target, format, virtualSize);
  }
  const targetPaths = ctx.diskPaths(ref, targetNode);
  task.log(`starting VM ${ref.vmid} on remote node '${targetNode}'`);
  const target = await ctx.launch({ ...source.ref, node: targetNode }, { node: targetNode, diskPaths: targetPaths, incoming: 'defer' });
  try {
    await target.qmp.execute('migrate-incoming', { uri: 'tcp:127.0.0.1:0' });
    const listening = await target.qmp.execute<MigrateInfo>('query-migrate');
    const port = listening['socket-address']?.[0]?.port;
    if (!port) throw new Error('target QEMU did not report its migration port');
    const uri = `tcp:127.0.0.1:${port}`;
    task.log(`start remote tunnel`);
    task.log(`starting online/live migration on ${uri}`);
    task.log('set migration capabilities');
    await source.qmp.execute('migrate-set-capabilities', {
      capabilities: [{ capability: 'block', state: localDisks.length > 0 }],
    });
    // As a datacenter.cfg `bwlimit: migration=65536` would (QemuMigrate.pm phase2): a lab guest's few MiB of RAM
    // then take the clock seconds a real guest's GiBs take, so the log reports the downtime as PVE's usually does.
    task.log(`migration speed limit: ${renderBytes(migrationSpeedLimit)}/s`);
    task.log('migration downtime limit: 100 ms');
    task.log('set migration parameters');
    await source.qmp.execute('migrate-set-parameters', { 'downtime-limit': 100, 'max-bandwidth': migrationSpeedLimit });
    task.log(`start migrate command to ${uri}`);
    const migrateStarted = Date.now();
    await source.qmp.execute('migrate', { uri });
    const info = await followMigration(source, task);
    // phase2: `time() - $start` in whole clock seconds; PVE writes no average when the clock has not ticked since.
    const seconds = Math.floor(Date.now() / 1000) - Math.floor(migrateStarted / 1000);
    if (seconds > 0) task.log(`average migration speed: ${renderBytes((info.ram?.total ?? 0) / seconds)}/s - downtime ${info.downtime ?? 0} ms`);
    if (info.ram?.transferred) task.log(`migration completed, transferred ${renderBytes(info.ram.transferred)} VM-state`);
    task.log('migration status: completed');
    await waitForState(target, (status) => status === 'paused' || status === 'running');
    await target.qmp.execute('cont');
    await refreshStatus(target);
  } catch (error) {
    await source.qmp.execute('migrate_cancel').catch(() => undefined);
    await quitGuestProcess(target, 5_000);
    for (const disk of localDisks) await rm(disk.target, { force: true });
    throw error;
  }
  ctx.guests.set(ref.vmid, target);
  await quitGuestProcess(source);
  for (const disk of localDisks) await rm(disk.source, { force: true });
}

async function followMigration(source: GuestProcess, task: TaskContext): Promise<MigrateInfo> {
  let lastLog = 0;
  for (;;) {
    const info = await source.qmp.execute<MigrateInfo>('query-migrate');
    if (info.status === 'completed') return info;
    if (info.status === 'failed' || info.status === 'cancelled') throw new Error(`migration ${info.status}: ${info['error-desc'] ?? 'aborted'}`);
    if (task.signal.aborted) throw new Error('interrupted by signal');
    if (info.status === 'active' && info.ram && Date.now() - lastLog >= 1000) {
      lastLog = Date.now();
      const rate = renderBytes((info.ram.mbps * 1e6) / 8);
      if (info.disk && info.disk.remaining > 0) {
        task.log(`migration active, transferred ${renderBytes(info.disk.transferred)} of ${renderBytes(info.disk.total)} disk`);
      }
      task.log(`migration active, transferred ${renderBytes(info.ram.transferred)} of ${renderBytes(info.ram.total)} VM-state, ${rate}/s`);
    }
    await delay(250);
  }
}

async function waitForState(guest: GuestProcess, accept: (status: string) => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!accept(await refreshStatus(guest))) {
    if (Date.now() > deadline) throw new Error(`target QEMU stuck in state ${guest.qmpstatus}`);
    await delay(100);
  }
}

/** pve-guest-common AbstractMigrate.pm's `HH:MM:SS`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
