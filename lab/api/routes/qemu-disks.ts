import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { newDiskVolid, type ImageFormat } from '../../cluster/disks';
import { DISK_KEY, configDigest, formatDrive, formatSize, isCdrom, nextFreeKey, parseDrive, parseSize } from '../../cluster/guest-config';
import { parseVolid } from '../../cluster/storage';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { guestAt } from '../guest-view';
import { parseArgs, pveBool, pveInt, storageId } from '../params';
import { guestRef, lockedTask, startTask } from '../tasks-helper';
import { ensureVolumes } from '../../cluster/disks';

function diskOf(ctx: RequestContext, key: string): { volid: string; options: Map<string, string> } {
  const guest = guestAt(ctx);
  const value = guest.config[key];
  if (!DISK_KEY.test(key) || value === undefined) throw parameterError({ disk: `disk '${key}' does not exist` });
  if (isCdrom(value)) throw parameterError({ disk: `disk '${key}' is a CD-ROM drive` });
  const { volume, options } = parseDrive(value);
  if (!parseVolid(volume)) throw parameterError({ disk: `disk '${key}' has no volume` });
  return { volid: volume, options };
}

const resizeArgs = z.object({
  disk: z.string(),
  size: z.string().regex(/^\+?\d+(\.\d+)?[KMGT]?$/, 'invalid format - value does not look like a valid size'),
  digest: z.string().optional(),
  skiplock: pveBool.optional(),
});

/** PUT .../resize: grow only, `+N` relative or absolute; the runtime grows the image (block_resize when running). */
function resize(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  const args = parseArgs(resizeArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Config.Disk');
  const { volid, options } = diskOf(ctx, args.disk);
  const current = parseSize(options.get('size') ?? '0');
  const requested = args.size.startsWith('+') ? current + parseSize(args.size.slice(1)) : parseSize(args.size);
  if (requested < current) throw new ApiError(500, `shrinking disks is not supported`);
  const lab = ctx.lab;
  return startTask(ctx, { node: guest.node, type: 'resize', id: String(guest.vmid) }, async (task) => {
    // resize_vm checks the digest in its worker: a stale one fails the task, not the call.
    if (args.digest && args.digest !== configDigest(guest.config, guest.pending)) throw new Error('checksum mismatch (file change by other user?)');
    await ensureVolumes(lab.storage, guest.config, guest.node, task.log);
    task.log(`resizing ${args.disk} (${volid}) from ${formatSize(current)} to ${formatSize(requested)}`);
    await lab.runtime.resizeDisk(guestRef(guest), args.disk, lab.storage.resolve(volid, guest.node), requested, task);
    options.set('size', formatSize(requested));
    guest.config[args.disk] = formatDrive(volid, options);
    lab.model.changed();
  });
}

const moveArgs = z.object({
  disk: z.string(),
  storage: storageId,
  format: z.enum(['raw', 'qcow2', 'vmdk']).optional(),
  delete: pveBool.optional(),
  digest: z.string().optional(),
  bwlimit: pveInt(0).optional(),
});

/** POST .../move_disk: to another storage and/or format (drive-mirror when running, qemu-img convert when stopped). */
function moveDisk(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  const args = parseArgs(moveArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Config.Disk');
  ctx.require(`/storage/${args.storage}`, 'Datastore.AllocateSpace');
  if (!ctx.lab.storage.get(args.storage)) throw parameterError({ storage: `storage '${args.storage}' does not exist` });
  if (args.digest && args.digest !== configDigest(guest.config, guest.pending))
    throw new ApiError(500, 'detected modified configuration - file changed by other user? Try again.');
  const { volid, options } = diskOf(ctx, args.disk);
  const source = parseVolid(volid);
  const format = (args.format ?? volid.split('.').pop() ?? 'raw') as ImageFormat;
  if (source?.storage === args.storage && volid.endsWith(`.${format}`)) throw new ApiError(500, "you can't move to the same storage with same format");
  if (guest.snapshots.length > 0 && args.delete) throw new ApiError(500, "you can't move a disk with snapshots and delete the source");
  const lab = ctx.lab;
  return lockedTask(ctx, guest, 'disk', { type: 'qmmove' }, async (task) => {
    await ensureVolumes(lab.storage, guest.config, guest.node, task.log);
    const target = newDiskVolid(lab.storage, args.storage, guest.node, guest.vmid, format, guest.config);
    mkdirSync(dirname(lab.storage.resolve(target, guest.node)), { recursive: true });
    task.log(`create full clone of drive ${args.disk} (${volid})`);
    await lab.runtime.moveDisk(
      guestRef(guest),
      args.disk,
      lab.storage.resolve(volid, guest.node),
      { path: lab.storage.resolve(target, guest.node), format },
      task,
    );
    guest.config[args.disk] = formatDrive(target, options);
    if (args.delete) {
      rmSync(lab.storage.resolve(volid, guest.node), { force: true });
      task.log(`removing old volume ${volid}`);
    } else {
      guest.config[nextFreeKey(guest.config, 'unused')] = volid;
    }
    lab.model.changed();
  });
}

export const qemuDiskRoutes: Route[] = [
  { method: 'PUT', pattern: '/nodes/{node}/qemu/{vmid}/resize', handler: resize, params: resizeArgs },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/move_disk', handler: moveDisk, params: moveArgs },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/move-disk', handler: moveDisk, params: moveArgs },
];
