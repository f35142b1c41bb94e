import { isAbsolute } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GuestConfig, TaskContext } from '../contracts';
import { createVolume, newDiskVolid, virtualSize, type ImageFormat } from '../cluster/disks';
import { formatDrive, formatSize, isCdrom, parseDrive, DISK_KEY } from '../cluster/guest-config';
import { parseVolid } from '../cluster/storage';
import type { RequestContext } from './context';
import { ApiError, parameterError } from './errors';

export interface DiskRequest {
  key: string;
  storage: string;
  sizeBytes: number;
  format: ImageFormat;
  importFrom?: string;
  options: Map<string, string>;
}

/** `local:4` / `local:0,import-from=local:import/x.qcow2`: a disk to allocate rather than an existing volume. */
export function diskRequest(key: string, value: string): DiskRequest | undefined {
  if (!DISK_KEY.test(key) || isCdrom(value)) return undefined;
  const { volume, options } = parseDrive(value);
  const m = /^([a-z][a-z0-9\-_.]*):(\d+(?:\.\d+)?)$/i.exec(volume);
  // qemu-server's check_drive_param: an import takes the source's size, so it must be written `STORAGE:0`.
  if (options.has('import-from') && Number(m?.[2] ?? NaN) !== 0)
    throw parameterError({ [key]: "'import-from' requires special syntax - use <storage ID>:0,import-from=<source>" });
  if (!m) return undefined;
  const format = (options.get('format') ?? 'raw') as ImageFormat;
  if (!['raw', 'qcow2', 'vmdk'].includes(format)) throw parameterError({ [key]: `invalid format '${format}'` });
  options.delete('format');
  const importFrom = options.get('import-from');
  options.delete('import-from');
  options.delete('size');
  const request: DiskRequest = { key, storage: m[1] ?? '', sizeBytes: Math.round(Number(m[2]) * 1024 ** 3), format, options };
  if (importFrom) request.importFrom = importFrom;
  return request;
}

/** Permission and sanity checks that must fail before any task starts. */
export function checkDiskRequest(ctx: RequestContext, node: string, request: DiskRequest): void {
  const storage = ctx.lab.storage.get(request.storage);
  if (!storage) throw parameterError({ [request.key]: `storage '${request.storage}' does not exist` });
  if (!storage.content.includes('images')) throw parameterError({ [request.key]: `storage '${request.storage}' does not support vm images` });
  ctx.require(`/storage/${request.storage}`, 'Datastore.AllocateSpace');
  if (request.importFrom) {
    if (isAbsolute(request.importFrom)) {
      if (ctx.who.userid !== 'root@pam') throw new ApiError(403, `Permission check failed (only root can use absolute paths as import-from)`);
      if (!existsSync(request.importFrom)) throw parameterError({ [request.key]: `import-from: '${request.importFrom}' does not exist` });
      return;
    }
    const source = parseVolid(request.importFrom);
    if (!source) throw parameterError({ [request.key]: `unable to parse volume ID '${request.importFrom}'` });
    if (source.content === 'iso' || source.content === 'backup')
      throw parameterError({ [request.key]: `import-from: '${request.importFrom}' has wrong type '${source.content}' - needs to be 'images' or 'import'` });
    if (source.content === 'import' && !/\.(qcow2|raw|vmdk)$/.test(source.relative))
      throw parameterError({ [request.key]: `import-from: unsupported format of '${request.importFrom}'` });
    ctx.require(`/storage/${source.storage}`, 'Datastore.Audit');
    if (!existsSync(ctx.lab.storage.resolve(request.importFrom, node)))
      throw parameterError({ [request.key]: `volume '${request.importFrom}' does not exist` });
  }
}

/**
 * create_disks for a volume that exists (an `unusedN` attached again): PVE prints the drive with the size it reads
 * from the volume (`volume_size_info`). A seeded guest's image is created only when first needed: one not there yet
 * keeps the value as given.
 */
export async function existingVolumeValue(ctx: RequestContext, node: string, key: string, value: string): Promise<string> {
  if (!DISK_KEY.test(key) || isCdrom(value)) return value;
  const { volume, options } = parseDrive(value);
  const parsed = parseVolid(volume);
  if (!parsed || !ctx.lab.storage.get(parsed.storage)) return value;
  const path = ctx.lab.storage.resolve(volume, node);
  if (!existsSync(path)) return value;
  options.set('size', formatSize(await virtualSize(path)));
  return formatDrive(volume, options);
}

/** Creates the volume (qemu-img create, or an import through the runtime) and returns the config value. */
export async function allocateDisk(
  ctx: RequestContext,
  node: string,
  vmid: number,
  request: DiskRequest,
  config: GuestConfig,
  task: TaskContext,
): Promise<string> {
  const lab = ctx.lab;
  const volid = newDiskVolid(lab.storage, request.storage, node, vmid, request.format, config);
  let size = request.sizeBytes;
  if (request.importFrom) {
    const source = isAbsolute(request.importFrom) ? request.importFrom : lab.storage.resolve(request.importFrom, node);
    const target = lab.storage.resolve(volid, node);
    mkdirSync(dirname(target), { recursive: true });
    task.log(`importing disk '${request.importFrom}' to VM ${vmid} ...`);
    await lab.runtime.importImage(source, { path: target, format: request.format }, task);
    size = await virtualSize(target);
    task.log(`Successfully imported disk as '${request.key}:${volid},size=${formatSize(size)}'`);
  } else {
    task.log(`${request.key}: allocating ${formatSize(size)} on '${request.storage}' as ${volid}`);
    await createVolume(lab.storage, volid, node, size);
  }
  const options = new Map(request.options);
  options.set('size', formatSize(size));
  return formatDrive(volid, options);
}
