import { mkdirSync, rmSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { z } from 'zod';
import type { GuestConfig, TaskContext } from '../../contracts';
import { ensureVolumes, formatOfVolume, newDiskVolid, qemuImg, type ImageFormat } from '../../cluster/disks';
import { DISK_KEY, formatDrive, isCdrom, parseDrive, randomMac } from '../../cluster/guest-config';
import type { LabGuest } from '../../cluster/model';
import { parseVolid } from '../../cluster/storage';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { checkNotLocked, guestAt } from '../guest-view';
import { dnsName, nodeName, parseArgs, pveBool, pveEnum, pveInt, snapshotName, storageId, vmidParam } from '../params';
import { startTask } from '../tasks-helper';

const cloneArgs = z.object({
  newid: vmidParam,
  name: dnsName.optional(),
  description: z.string().optional(),
  pool: z.string().optional(),
  snapname: snapshotName.optional(),
  storage: storageId.optional(),
  format: pveEnum(['raw', 'qcow2', 'vmdk']).optional(),
  full: pveBool.optional(),
  target: nodeName.optional(),
  bwlimit: pveInt(0).optional(),
});
type CloneArgs = z.output<typeof cloneArgs>;

/** Keys qemu-server's clone_vm does not copy: snapshot and runtime state, and unused volumes (their owner changes). */
const NOT_COPIED = new Set(['parent', 'snaptime', 'vmstate', 'snapstate', 'runningcpu', 'runningmachine', 'running-nets-host-mtu', 'lock']);

interface ClonePlan {
  full: boolean;
  targetNode: string;
  config: GuestConfig;
  drives: { key: string; volid: string; options: Map<string, string> }[];
}

/** smbios1 with a fresh uuid, its other fields kept, as clone_vm does. */
function withNewUuid(smbios1: string | undefined): string {
  const rest = (smbios1 ?? '').split(',').filter((field) => field !== '' && !field.startsWith('uuid='));
  return [`uuid=${crypto.randomUUID()}`, ...rest].join(',');
}

/** `$load_and_check` of clone_vm: every refusal PVE makes before forking the worker. */
function checkClone(ctx: RequestContext, source: LabGuest, args: CloneArgs, running: boolean): ClonePlan {
  const lab = ctx.lab;
  const target = args.target === source.node ? undefined : args.target;
  if (args.pool !== undefined && !lab.model.pools.has(args.pool)) throw parameterError({ pool: `pool '${args.pool}' does not exist` });
  if (target && !lab.model.node(target)) throw new ApiError(500, `no such cluster node '${target}'`);
  if (args.storage) {
    const storage = lab.storage.get(args.storage);
    if (!storage) throw new ApiError(500, `storage '${args.storage}' does not exist`);
    if (!storage.content.includes('images')) throw parameterError({ storage: `storage '${args.storage}' does not support vm images` });
    if (target && !storage.shared) throw new ApiError(500, `can't clone to non-shared storage '${args.storage}'`);
  }
  checkNotLocked(source);
  if (args.snapname) {
    if (!source.snapshots.some((s) => s.name === args.snapname)) throw new ApiError(500, `snapshot '${args.snapname}' does not exist`);
    throw new ApiError(501, 'the lab does not clone from a snapshot');
  }
  const full = args.full ?? source.config.template !== '1';
  if (args.storage !== undefined && !full) throw new ApiError(500, "parameter 'storage' not allowed for linked clones");
  if (args.format !== undefined && !full) throw new ApiError(500, "parameter 'format' not allowed for linked clones");

  let shared = true;
  const config: GuestConfig = {};
  const drives: ClonePlan['drives'] = [];
  for (const key of Object.keys(source.config).sort()) {
    const value = source.config[key] ?? '';
    if (NOT_COPIED.has(key) || /^unused\d+$/.test(key)) continue;
    if (/^net\d+$/.test(key)) {
      config[key] = value.replace(/=([0-9A-F]{2}:){5}[0-9A-F]{2}/i, `=${randomMac()}`);
      continue;
    }
    const { volume, options } = DISK_KEY.test(key) ? parseDrive(value) : { volume: '', options: new Map<string, string>() };
    const parsed = parseVolid(volume);
    if (!DISK_KEY.test(key) || !parsed) {
      config[key] = value;
      continue;
    }
    if (!lab.storage.get(parsed.storage)?.shared) shared = false;
    if (isCdrom(value)) {
      config[key] = value;
      continue;
    }
    ctx.require(`/storage/${args.storage ?? parsed.storage}`, 'Datastore.AllocateSpace');
    // Only a template's (base) volumes can be the backing file of a linked clone.
    if (!full && source.config.template !== '1') throw new ApiError(500, `Linked clone feature is not supported for '${volume}' (${key})`);
    if (full && running && key === 'tpmstate0') throw new ApiError(500, 'cannot clone TPM state while VM is running');
    drives.push({ key, volid: volume, options });
  }
  if (target && !shared) throw new ApiError(500, `can't clone VM to node '${target}' (VM uses local storage)`);
  if (lab.model.guests.has(args.newid)) throw new ApiError(500, `unable to create VM ${args.newid}: config file already exists`);
  return { full, targetNode: target ?? source.node, config, drives };
}

/** `clone_disk`: a copy with `qemu-img convert` (full), or a qcow2 overlay on the template's volume (linked). */
async function cloneDrive(
  ctx: RequestContext,
  node: string,
  newid: number,
  drive: ClonePlan['drives'][number],
  plan: ClonePlan,
  args: CloneArgs,
  task: TaskContext,
): Promise<string> {
  const lab = ctx.lab;
  task.log(`create ${plan.full ? 'full' : 'linked'} clone of drive ${drive.key} (${drive.volid})`);
  const sourcePath = lab.storage.resolve(drive.volid, node);
  const sourceFormat = formatOfVolume(drive.volid);
  const storage = plan.full ? (args.storage ?? parseVolid(drive.volid)?.storage ?? 'local') : (parseVolid(drive.volid)?.storage ?? 'local');
  const format: ImageFormat = plan.full ? (args.format ?? sourceFormat) : 'qcow2';
  const volid = newDiskVolid(lab.storage, storage, node, newid, format, plan.config);
  const path = lab.storage.resolve(volid, node);
  mkdirSync(dirname(path), { recursive: true });
  plan.config[drive.key] = formatDrive(volid, drive.options);
  if (plan.full) {
    task.log(`allocated target volume '${volid}'`);
    // -U: a running guest's image is locked by its QEMU; PVE mirrors it live, the lab copies it as it stands.
    await qemuImg(['convert', '-U', '-p', '-f', sourceFormat, '-O', format, sourcePath, path]);
    task.log('transferred 100.0% of the image');
  } else {
    await qemuImg(['create', '-q', '-f', 'qcow2', '-F', sourceFormat, '-b', relative(dirname(path), sourcePath), path]);
  }
  return volid;
}

/** POST /nodes/{node}/qemu/{vmid}/clone: qemu-server's clone_vm, as a `qmclone` task. */
function clone(ctx: RequestContext): unknown {
  const lab = ctx.lab;
  const source = guestAt(ctx);
  const args = parseArgs(cloneArgs, ctx.args);
  ctx.require(`/vms/${source.vmid}`, 'VM.Clone');
  if (args.pool !== undefined) ctx.require(`/pool/${args.pool}`, 'VM.Allocate');
  else ctx.require(`/vms/${args.newid}`, 'VM.Allocate');
  const running = lab.runtime.info(source.vmid) !== undefined;
  const cloned = checkClone(ctx, source, args, running);
  const { config } = cloned;
  config.smbios1 = withNewUuid(config.smbios1);
  if (config.vmgenid) config.vmgenid = crypto.randomUUID();
  delete config.template;
  config.name = args.name ?? `Copy-of-VM-${source.config.name ?? source.vmid}`;
  if (args.description) config.description = args.description;
  const guest: LabGuest = { vmid: args.newid, node: source.node, config: {}, snapshots: [], lock: 'clone' };
  lab.model.guests.set(args.newid, guest);
  lab.model.changed();
  return startTask(ctx, { node: source.node, type: 'qmclone', id: String(source.vmid) }, async (task) => {
    const created: string[] = [];
    try {
      task.log(`creating a clone of VM ${source.vmid} with ID ${args.newid}`);
      await ensureVolumes(lab.storage, source.config, source.node, task.log);
      for (const drive of cloned.drives) created.push(await cloneDrive(ctx, source.node, args.newid, drive, cloned, args, task));
      guest.config = config;
      guest.node = cloned.targetNode;
      if (args.pool !== undefined) guest.pool = args.pool;
    } catch (error) {
      for (const volid of created) rmSync(lab.storage.resolve(volid, source.node), { force: true });
      lab.model.guests.delete(args.newid);
      throw new Error(`clone failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      delete guest.lock;
      lab.model.changed();
    }
  });
}

export const qemuCloneRoutes: Route[] = [{ method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/clone', handler: clone, params: cloneArgs }];
