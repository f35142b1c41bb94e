/**
 * vzdump-like backups. PVE writes VMA archives; the lab writes a tar instead
 * (compressed by the archive's suffix: .zst → zstd, .gz/.tgz → gzip) holding
 *   qemu-server.conf   the guest config in /etc/pve/qemu-server syntax
 *   manifest.json      { vmid, disks: { <disk>: { file, format, size } } }
 *   <disk>.qcow2       one compact qcow2 copy per disk (cdroms are skipped)
 * Modes as PVE: `snapshot` copies a running guest live (QMP drive-backup, a
 * point-in-time copy while the guest runs), `suspend` pauses it during the
 * copy, `stop` shuts it down and starts it again afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { BackupOptions, GuestConfig, GuestRef, TaskContext } from '../contracts';
import { BackupProgressLog } from './backup-progress';
import { runBlockJob } from './block-jobs';
import { quitGuestProcess, refreshStatus, type GuestProcess } from './guest-process';
import { guestDisks, imageFormatOf, parseConfigFile, renderConfigFile } from './pve-config';
import { convertImage, imageInfo } from './qemu-img';
import type { RuntimeContext } from './runtime-context';

const execFileAsync = promisify(execFile);

interface Manifest {
  vmid: number;
  disks: Record<string, { file: string; format: 'qcow2'; size: number }>;
}

function compressionFlag(archivePath: string): string[] {
  if (archivePath.endsWith('.zst')) return ['--zstd'];
  if (archivePath.endsWith('.gz') || archivePath.endsWith('.tgz')) return ['--gzip'];
  return [];
}

export async function backupGuest(ctx: RuntimeContext, ref: GuestRef, options: BackupOptions, task: TaskContext): Promise<void> {
  const started = Date.now();
  task.log(`INFO: Starting Backup of VM ${ref.vmid} (qemu)`);
  task.log(`INFO: backup mode: ${options.mode}`);
  await mkdir(dirname(options.archivePath), { recursive: true });
  const work = await mkdtemp(join(dirname(options.archivePath), `.${basename(options.archivePath)}.tmp-`));
  const disks = guestDisks(ref.config).filter((disk) => !disk.cdrom && options.diskPaths[disk.key]);
  const manifest: Manifest = { vmid: ref.vmid, disks: {} };
  let guest = ctx.running(ref.vmid);
  let restartAfter = false;
  try {
    await writeFile(join(work, 'qemu-server.conf'), renderConfigFile(ref.config));
    if (guest && options.mode === 'stop') {
      task.log('INFO: stopping virtual guest');
      if (!guest.bootsLinux || !(await ctx.powerdown(guest, 60))) await quitGuestProcess(guest);
      guest = undefined;
      restartAfter = true;
    }
    const pausedByUs = guest !== undefined && options.mode === 'suspend' && guest.qmpstatus === 'running';
    if (guest && pausedByUs) {
      task.log('INFO: suspending guest');
      await guest.qmp.execute('stop');
    }
    try {
      for (const disk of disks) {
        const source = options.diskPaths[disk.key] ?? '';
        const file = `${disk.key}.qcow2`;
        const target = join(work, file);
        const format = imageFormatOf(source, disk.options.format);
        const size = (await imageInfo(source, { format, forceShare: true })).virtualSize;
        task.log(`INFO: include disk '${disk.key}' '${disk.volid}' ${size} bytes`);
        if (guest && options.mode === 'snapshot') await liveCopy(guest, disk.key, target, options.bwlimit, task);
        else await convertImage({ path: source, format, forceShare: guest !== undefined }, { path: target, format: 'qcow2' }, task);
        manifest.disks[disk.key] = { file, format: 'qcow2', size };
      }
    } finally {
      if (guest && pausedByUs) {
        await guest.qmp.execute('cont');
        await refreshStatus(guest);
        task.log('INFO: resuming guest');
      }
    }
    await writeFile(join(work, 'manifest.json'), JSON.stringify(manifest, null, 2));
    task.log(`INFO: creating archive '${options.archivePath}'`);
    await execFileAsync('tar', ['-cf', options.archivePath, ...compressionFlag(options.archivePath), '-C', work, '.']);
    task.log(`INFO: Finished Backup of VM ${ref.vmid} (${Math.round((Date.now() - started) / 1000)}s)`);
  } finally {
    await rm(work, { recursive: true, force: true });
    if (restartAfter) {
      task.log('INFO: restarting virtual guest');
      await ctx.startGuest(ref, task);
    }
  }
}

/**
 * Point-in-time copy of a running guest's disk with QMP drive-backup
 * (sync=full), at most `bwlimit` KiB/s: qemu-server's archive_vma hands
 * QEMU's backup job `speed => bwlimit * 1024`.
 */
async function liveCopy(guest: GuestProcess, disk: string, target: string, bwlimit: number | undefined, task: TaskContext): Promise<void> {
  const jobId = `backup-${disk}`;
  const speed = bwlimit ? { speed: bwlimit * 1024 } : {};
  await guest.qmp.execute('drive-backup', {
    'job-id': jobId,
    device: `drive-${disk}`,
    target,
    format: 'qcow2',
    sync: 'full',
    mode: 'absolute-paths',
    ...speed,
  });
  await runBlockJob(guest.qmp, jobId, 'backup', task, `INFO: drive-${disk}`, new BackupProgressLog(task));
}

/** Unpacks an archive written by backupGuest into new images; returns the archived config. */
export async function restoreBackup(archivePath: string, targetDiskPaths: (disk: string, archived: string) => string, task: TaskContext): Promise<GuestConfig> {
  task.log(`restore vma archive: ${archivePath}`);
  const work = await mkdtemp(join(dirname(archivePath), `.restore-${basename(archivePath)}-`));
  try {
    // GNU tar recognises gzip and zstd by content when extracting.
    await execFileAsync('tar', ['-xf', archivePath, '-C', work]);
    const manifest = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as Manifest;
    const config = parseConfigFile(await readFile(join(work, 'qemu-server.conf'), 'utf8'));
    for (const [disk, entry] of Object.entries(manifest.disks)) {
      if (!/^[\w-]+\.qcow2$/.test(entry.file)) throw new Error(`bad file name in archive: ${entry.file}`);
      const target = targetDiskPaths(disk, config[disk] ?? '');
      task.log(`map '${disk}' to '${target}' (${entry.size} bytes)`);
      await mkdir(dirname(target), { recursive: true });
      await convertImage({ path: join(work, entry.file), format: 'qcow2' }, { path: target, format: imageFormatOf(target) }, task);
    }
    task.log('restore finished');
    return config;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
