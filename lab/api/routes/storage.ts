import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { newDiskVolid, qemuImg } from '../../cluster/disks';
import { IMPORT_EXTENSION, ISO_EXTENSION, backupAuxiliaries, parseVolid, type ContentType } from '../../cluster/storage';
import type { LabStorage } from '../../contracts';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError, permissionError } from '../errors';
import { receiveMultipart } from '../multipart';
import { parseArgs, pveBool, pveInt } from '../params';
import { startTask } from '../tasks-helper';

function storageAt(ctx: RequestContext): { node: string; storage: LabStorage } {
  const node = ctx.param('node');
  if (!ctx.lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
  const storage = ctx.lab.storage.get(ctx.param('storage'));
  if (!storage) throw new ApiError(500, `storage '${ctx.param('storage')}' does not exist`);
  return { node, storage };
}

function canSeeStorage(ctx: RequestContext, id: string): boolean {
  return ctx.can(`/storage/${id}`, 'Datastore.Audit') || ctx.can(`/storage/${id}`, 'Datastore.AllocateSpace');
}

function status(ctx: RequestContext, node: string, storage: LabStorage): Record<string, unknown> {
  const usage = ctx.lab.storage.usage(storage.id, node);
  return {
    storage: storage.id,
    type: storage.type,
    content: [...storage.content].sort().join(','),
    shared: storage.shared ? 1 : 0,
    active: 1,
    enabled: 1,
    total: usage.total,
    used: usage.used,
    avail: usage.avail,
    used_fraction: usage.total > 0 ? usage.used / usage.total : 0,
  };
}

const listArgs = z.object({
  content: z.string().optional(),
  storage: z.string().optional(),
  enabled: z.string().optional(),
  target: z.string().optional(),
  format: z.string().optional(),
});

function listStorages(ctx: RequestContext): unknown {
  const node = ctx.param('node');
  if (!ctx.lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
  const args = parseArgs(listArgs, ctx.args);
  const wanted = args.content?.split(',').filter(Boolean) ?? [];
  return ctx.lab.storage.storages
    .filter((s) => canSeeStorage(ctx, s.id) && (!args.storage || s.id === args.storage) && wanted.every((c) => s.content.includes(c as ContentType)))
    .map((s) => status(ctx, node, s));
}

const contentArgs = z.object({
  content: z.enum(['images', 'iso', 'import', 'backup', 'vztmpl', 'rootdir', 'snippets']).optional(),
  vmid: pveInt(100).optional(),
});

/** Storage content as PVE lists it; images and backups also need VM.Audit on their guest (PVE's filter). */
function content(ctx: RequestContext): unknown {
  const { node, storage } = storageAt(ctx);
  const args = parseArgs(contentArgs, ctx.args);
  if (!canSeeStorage(ctx, storage.id)) throw permissionError(`/storage/${storage.id}`, 'Datastore.Audit|Datastore.AllocateSpace');
  const auditAll = ctx.can(`/storage/${storage.id}`, 'Datastore.Audit');
  return ctx.lab.storage
    .content(storage.id, node, args.content as ContentType | undefined)
    .filter((v) => args.vmid === undefined || v.vmid === args.vmid)
    .filter((v) => auditAll || v.vmid === undefined || ctx.can(`/vms/${v.vmid}`, 'VM.Audit'))
    .map((v) => {
      const item: Record<string, unknown> = { volid: v.volid, content: v.content, format: v.format, size: v.size, ctime: v.ctime };
      if (v.vmid !== undefined) item.vmid = v.vmid;
      if (v.notes !== undefined) item.notes = v.notes;
      if (v.protected) item.protected = 1;
      if (v.content === 'backup') item.subtype = 'qemu';
      return item;
    });
}

const deleteArgs = z.object({ delay: pveInt(1, 30).optional() });

/**
 * Content.pm `delete`: an `imgdel` task (id `<owner vmid>@<storage>`) that frees the volume (refused for a protected
 * one; a warning when it does not exist) and a backup's log and notes; with `delay` the call waits that many seconds
 * and answers null once it is done.
 */
async function deleteVolume(ctx: RequestContext): Promise<unknown> {
  const { node, storage } = storageAt(ctx);
  const args = parseArgs(deleteArgs, ctx.args);
  const volume = ctx.param('volume');
  const volid = volume.includes(':') ? volume : `${storage.id}:${volume}`;
  const parsed = parseVolid(volid);
  if (!parsed || parsed.storage !== storage.id) throw parameterError({ volume: `unable to parse volume ID '${volume}'` });
  if (parsed.content === 'backup' && parsed.vmid !== undefined) {
    ctx.require(`/storage/${storage.id}`, 'Datastore.AllocateSpace');
    ctx.require(`/vms/${parsed.vmid}`, 'VM.Backup');
  } else {
    ctx.require(`/storage/${storage.id}`, 'Datastore.Allocate');
  }
  if (parsed.content === 'images' && parsed.vmid !== undefined) {
    const owner = ctx.lab.model.guests.get(parsed.vmid);
    if (owner && Object.values(owner.config).some((v) => v.split(',')[0] === volid))
      throw new ApiError(500, `unable to delete '${volid}' - volume is still in use (referenced by VM ${parsed.vmid})`);
  }
  const path = ctx.lab.storage.resolve(volid, node);
  const id = parsed.vmid === undefined ? storage.id : `${parsed.vmid}@${storage.id}`;
  const upid = startTask(ctx, { node, type: 'imgdel', id }, async (task) => {
    if (existsSync(`${path}.protected`)) throw new Error(`cannot remove protected volume '${volid.slice(storage.id.length + 1)}' on '${storage.id}'`);
    // free_image warns (a task warning) and removes nothing when the file is gone already.
    if (existsSync(path)) rmSync(path, { force: true });
    else task.log(`WARN: disk image '${path}' does not exist`);
    task.log(`Removed volume '${volid}'`);
    if (parsed.content === 'backup') for (const file of backupAuxiliaries(path)) rmSync(file, { force: true });
  });
  const record = ctx.lab.tasks.get(upid);
  if (!args.delay || !record) return upid;
  const finished = await Promise.race([record.done.then(() => true), sleep(args.delay * 1000, false)]);
  if (!finished) return upid;
  if (record.exitstatus !== 'OK') throw new ApiError(500, record.exitstatus ?? 'unknown error');
  return null;
}

const allocateArgs = z.object({
  filename: z.string(),
  vmid: pveInt(100, 999_999_999),
  size: z.string().regex(/^\d+[MG]?$/, 'value does not match the regex pattern'),
  format: z.enum(['raw', 'qcow2', 'vmdk', 'subvol']).optional(),
});

/** pve-storage Plugin.pm `parse_name_dir`: an image file name and its format. */
function imageNameFormat(name: string): string {
  const match = /^(?:(?:vm-|base-|subvol-)\d+-[^/\s]+|(?:base-)?[^/\s]+)\.(raw|qcow2|vmdk|subvol)$/.exec(name);
  if (match === null || /^snap-.*\.qcow2$/.test(name)) throw new ApiError(500, `unable to parse volume filename '${name}'`);
  return match[1] ?? '';
}

/**
 * Content.pm `create` (Datastore.AllocateSpace; size in KiB, or with M or G; the format from the name's extension) →
 * Storage.pm `vdisk_alloc` → Plugin.pm `alloc_image`: `<images>/<vmid>/<filename>`, refused when it exists, made by
 * `qemu-img create` with the storage's preallocation (PVE's default: `metadata` for qcow2, none for raw). Answers the
 * volume id, no task.
 */
async function allocateVolume(ctx: RequestContext): Promise<unknown> {
  const { node, storage } = storageAt(ctx);
  const args = parseArgs(allocateArgs, ctx.args);
  ctx.require(`/storage/${storage.id}`, 'Datastore.AllocateSpace');
  const [, digits = '0', unit] = /^(\d+)([MG]?)$/.exec(args.size) ?? [];
  const kib = Number(digits) * (unit === 'G' ? 1024 * 1024 : unit === 'M' ? 1024 : 1);
  let format = args.format;
  const named = /\.(raw|qcow2|vmdk)$/.exec(args.filename)?.[1];
  if (named !== undefined) {
    if (format !== undefined && format !== named) throw parameterError({ format: `different storage formats (${format} != ${named})` });
    format = named as typeof format;
  }
  format ??= 'raw';
  if (format === 'subvol') throw new ApiError(500, 'storage does not support subvol quotas');
  const name = args.filename === '' ? (newDiskVolid(ctx.lab.storage, storage.id, node, args.vmid, format).split('/').pop() ?? '') : args.filename;
  const nameFormat = imageNameFormat(name);
  if (nameFormat !== format) throw new ApiError(500, `illegal name '${name}' - wrong extension for format ('${nameFormat} != '${format}')`);
  const volid = `${storage.id}:${args.vmid}/${name}`;
  const path = ctx.lab.storage.resolve(volid, node);
  if (existsSync(path)) throw new ApiError(500, `disk image '${path}' already exists`);
  mkdirSync(dirname(path), { recursive: true });
  await qemuImg(['create', ...(format === 'qcow2' ? ['-o', 'preallocation=metadata'] : []), '-q', '-f', format, path, `${kib}K`]);
  return volid;
}

const attributeArgs = z.object({
  notes: z
    .string()
    .max(32 * 1024)
    .optional(),
  protected: pveBool.optional(),
});

/**
 * Content.pm `updateattributes` (check_volume_access; DirPlugin's `update_volume_attribute`): a backup's notes
 * (`<archive>.notes`, removed when empty) and protection (`<archive>.protected`). Answers null.
 */
function updateAttributes(ctx: RequestContext): unknown {
  const { node, storage } = storageAt(ctx);
  const args = parseArgs(attributeArgs, ctx.args);
  const volume = ctx.param('volume');
  const volid = volume.includes(':') ? volume : `${storage.id}:${volume}`;
  const parsed = parseVolid(volid);
  if (!parsed || parsed.storage !== storage.id) throw parameterError({ volume: `unable to parse volume ID '${volume}'` });
  if (!ctx.can(`/storage/${storage.id}`, 'Datastore.Allocate')) {
    if (parsed.content !== 'backup' || parsed.vmid === undefined) throw new ApiError(500, `missing privileges to access ${volid}`);
    // check_volume_access for a backup of a guest: its owner's VM.Backup.
    ctx.require(`/storage/${storage.id}`, 'Datastore.AllocateSpace');
    ctx.require(`/vms/${parsed.vmid}`, 'VM.Backup');
  }
  const path = ctx.lab.storage.resolve(volid, node);
  if (!existsSync(path)) throw new ApiError(500, `volume '${volid}' does not exist`);
  for (const attribute of ['notes', 'protected'] as const) {
    if (args[attribute] === undefined) continue;
    if (parsed.content !== 'backup') throw new ApiError(500, `attribute '${attribute}' is not supported for storage type 'dir'`);
  }
  if (args.notes !== undefined) {
    if (args.notes) writeFileSync(`${path}.notes`, args.notes);
    else rmSync(`${path}.notes`, { force: true });
  }
  if (args.protected === true) writeFileSync(`${path}.protected`, '');
  if (args.protected === false) rmSync(`${path}.protected`, { force: true });
  return null;
}

/** The multipart fields; the router sees only the query, so the route declares them all optional and the handler checks them whole. */
const uploadFields = z.object({
  content: z.enum(['iso', 'import', 'vztmpl']),
  filename: z.string().optional(),
  checksum: z
    .string()
    .regex(/^[0-9a-fA-F]+$/, 'invalid format - checksum')
    .optional(),
  'checksum-algorithm': z.enum(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
  tmpfilename: z.string().optional(),
});

function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    request.on('end', resolve).on('error', reject).resume();
  });
}

/** POST .../upload: multipart streamed to a temp file; the `imgcopy` task verifies the checksum and moves it in place. */
async function upload(ctx: RequestContext): Promise<unknown> {
  const { node, storage } = storageAt(ctx);
  ctx.require(`/storage/${storage.id}`, 'Datastore.AllocateTemplate');
  if (node !== ctx.localNode) {
    // PVE's HTTPServer.pm `rest_handler` proxies calls for another node, but not uploads: it has already read the whole body.
    await drain(ctx.request);
    throw new ApiError(500, 'unable to proxy file uploads');
  }
  const lab = ctx.lab;
  const tempDir = lab.storage.contentDir(storage.id, node, 'import');
  const tempPath = join(tempDir, `.upload-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  let received;
  try {
    received = await receiveMultipart(ctx.request, tempPath);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
  const { file } = received;
  try {
    const fields = parseArgs(uploadFields.strict(), { ...ctx.args, ...received.fields });
    if (!file) throw parameterError({ filename: 'no file in upload' });
    const filename = (fields.filename ?? file.filename).replace(/^.*[\\/]/, '');
    if (fields.content === 'vztmpl') throw parameterError({ content: `storage '${storage.id}' does not support content type 'vztmpl'` });
    if (!storage.content.includes(fields.content))
      throw parameterError({ content: `storage '${storage.id}' does not support content type '${fields.content}'` });
    const pattern = fields.content === 'iso' ? ISO_EXTENSION : IMPORT_EXTENSION;
    if (!pattern.test(filename) || !/^[\w.+-]+$/.test(filename)) throw parameterError({ filename: `wrong file extension or invalid name '${filename}'` });
    if (fields.checksum && !fields['checksum-algorithm'])
      throw parameterError({ 'checksum-algorithm': "'checksum-algorithm' is required when 'checksum' is set" });
    const target = join(lab.storage.contentDir(storage.id, node, fields.content), filename);
    const volid = `${storage.id}:${fields.content}/${filename}`;
    return startTask(ctx, { node, type: 'imgcopy', id: '' }, async (task) => {
      try {
        task.log(`starting file import from: ${file.path}`);
        if (fields.checksum && fields['checksum-algorithm']) {
          const actual = file.digests[fields['checksum-algorithm']];
          task.log(`calculating checksum...`);
          if (actual !== fields.checksum.toLowerCase()) throw new Error(`checksum mismatch: got '${actual}' != expect '${fields.checksum.toLowerCase()}'`);
          task.log('checksum verified');
        }
        task.log(`target node: ${node}`);
        task.log(`target file: ${target}`);
        task.log(`file size is: ${file.size}`);
        renameSync(file.path, target);
        task.log(`finished file import successfully (${volid})`);
      } finally {
        rmSync(file.path, { force: true });
      }
    });
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
}

export const storageRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/storage', handler: listStorages, params: listArgs },
  {
    method: 'GET',
    pattern: '/nodes/{node}/storage/{storage}',
    handler: (ctx) => {
      storageAt(ctx);
      return ['content', 'status', 'upload'].map((subdir) => ({ subdir }));
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/storage/{storage}/status',
    handler: (ctx) => {
      const { node, storage } = storageAt(ctx);
      if (!canSeeStorage(ctx, storage.id)) throw permissionError(`/storage/${storage.id}`, 'Datastore.Audit|Datastore.AllocateSpace');
      return status(ctx, node, storage);
    },
  },
  { method: 'GET', pattern: '/nodes/{node}/storage/{storage}/content', handler: content, params: contentArgs },
  { method: 'PUT', pattern: '/nodes/{node}/storage/{storage}/content/{volume}', handler: updateAttributes, params: attributeArgs },
  { method: 'POST', pattern: '/nodes/{node}/storage/{storage}/content', handler: allocateVolume, params: allocateArgs },
  { method: 'DELETE', pattern: '/nodes/{node}/storage/{storage}/content/{volume}', handler: deleteVolume, params: deleteArgs },
  { method: 'POST', pattern: '/nodes/{node}/storage/{storage}/upload', handler: upload, streamBody: true, params: uploadFields.partial() },
];
