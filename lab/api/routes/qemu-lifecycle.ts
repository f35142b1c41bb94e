import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { GuestConfig } from '../../contracts';
import { configVolumes } from '../../cluster/disks';
import { formatDrive, parseDrive, DISK_KEY, isCdrom } from '../../cluster/guest-config';
import type { LabGuest } from '../../cluster/model';
import { parseVolid } from '../../cluster/storage';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { allocateDisk, checkDiskRequest, diskRequest, type DiskRequest } from '../disk-allocation';
import { guestAt, checkNotLocked } from '../guest-view';
import { parseArgs, pveBool, pveInt, vmidParam } from '../params';
import { startTask } from '../tasks-helper';
import { configChanges, configKeyParameters } from './qemu-config';
import { startGuest } from './qemu-status';
import { newDiskVolid } from '../../cluster/disks';

const createArgs = z.object({
  vmid: vmidParam,
  archive: z.string().optional(),
  storage: z.string().optional(),
  pool: z.string().optional(),
  start: pveBool.optional(),
  force: pveBool.optional(),
  unique: pveBool.optional(),
  'live-restore': pveBool.optional(),
  bwlimit: pveInt(0).optional(),
});

const CREATE_ONLY = new Set(['archive', 'storage', 'pool', 'start', 'force', 'unique', 'live-restore', 'bwlimit']);

/** POST /nodes/{node}/qemu: a new guest (`qmcreate`) or a restore from a backup archive (`qmrestore`). */
async function create(ctx: RequestContext): Promise<unknown> {
  const lab = ctx.lab;
  const node = ctx.param('node');
  if (!lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
  const args = parseArgs(createArgs, ctx.args);
  const configArgs = Object.fromEntries(Object.entries(ctx.args).filter(([k]) => !CREATE_ONLY.has(k)));
  const { set } = configChanges(configArgs);
  const vmid = args.vmid;
  if (args.pool) {
    if (!lab.model.pools.has(args.pool)) throw parameterError({ pool: `pool '${args.pool}' does not exist` });
    ctx.require(`/pool/${args.pool}`, 'VM.Allocate');
  } else ctx.require(`/vms/${vmid}`, 'VM.Allocate');
  const existing = lab.model.guests.get(vmid);
  if (existing && !(args.archive && args.force)) throw new ApiError(500, `unable to create VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
  if (existing && lab.runtime.info(vmid)) throw new ApiError(500, `unable to restore VM ${vmid} - VM is running`);
  const disks = Object.entries(set)
    .map(([key, value]) => diskRequest(key, value))
    .filter((d): d is DiskRequest => d !== undefined);
  for (const disk of disks) checkDiskRequest(ctx, node, disk);
  let archivePath: string | undefined;
  if (args.archive) {
    const archive = parseVolid(args.archive);
    if (!archive || archive.content !== 'backup') throw parameterError({ archive: `unable to parse backup volume '${args.archive}'` });
    ctx.require(`/storage/${archive.storage}`, 'Datastore.Audit');
    archivePath = lab.storage.resolve(args.archive, node);
    if (args.storage) ctx.require(`/storage/${args.storage}`, 'Datastore.AllocateSpace');
  }

  const guest: LabGuest = existing ?? { vmid, node, config: {}, snapshots: [] };
  guest.lock = 'create';
  if (args.pool) guest.pool = args.pool;
  lab.model.guests.set(vmid, guest);
  lab.model.changed();
  const upid = startTask(ctx, { node, type: archivePath ? 'qmrestore' : 'qmcreate', id: String(vmid) }, async (task) => {
    try {
      if (archivePath) {
        // restore_vma_archive over an existing guest (force): destroy_vm of the old one first, its config kept.
        if (existing) for (const volid of guestVolumes(existing)) rmSync(lab.storage.resolve(volid, node), { force: true });
        const mapping = new Map<string, string>();
        const taken: GuestConfig = {};
        const restored = await lab.runtime.restore(
          archivePath,
          (disk, archived) => {
            // Without `storage`, each disk goes back to the storage it was backed up from (when it still exists).
            const original = parseVolid(parseDrive(archived).volume)?.storage;
            const targetStorage = args.storage ?? (original && lab.storage.get(original) ? original : 'local');
            const volid = newDiskVolid(lab.storage, targetStorage, node, vmid, 'qcow2', taken);
            taken[disk] = volid;
            mapping.set(disk, volid);
            const path = lab.storage.resolve(volid, node);
            mkdirSync(dirname(path), { recursive: true });
            return path;
          },
          task,
        );
        const config: GuestConfig = {};
        for (const [key, value] of Object.entries(restored)) {
          if (['parent', 'lock', 'snaptime', 'vmstate'].includes(key) || /^unused\d+$/.test(key)) continue;
          const target = mapping.get(key);
          config[key] = target && DISK_KEY.test(key) && !isCdrom(value) ? formatDrive(target, parseDrive(value).options) : value;
        }
        guest.config = { ...config, ...set };
        guest.snapshots = [];
        delete guest.pending;
      } else {
        const config: GuestConfig = { ...set };
        guest.config = config;
        for (const disk of disks) config[disk.key] = await allocateDisk(ctx, node, vmid, disk, config, task);
        if (!config.smbios1) config.smbios1 = `uuid=${crypto.randomUUID()}`;
        if (!config.vmgenid) config.vmgenid = crypto.randomUUID();
        config.meta = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`;
      }
    } catch (error) {
      if (!existing) {
        for (const { volid } of configVolumes(guest.config)) rmSync(lab.storage.resolve(volid, node), { force: true });
        lab.model.guests.delete(vmid);
      }
      throw error;
    } finally {
      delete guest.lock;
      lab.model.changed();
    }
    // create_vm's `start`: vm_start from inside the create worker, which forks its own qmstart task; a failure is only a warning.
    if (args.start) {
      task.log('Execute autostart');
      try {
        startGuest(ctx, guest);
      } catch (error) {
        task.log(`${(error as Error).message}`);
      }
    }
  });
  return upid;
}

/** Every volume a guest owns: its config's, its pending section's and its snapshots'. */
function guestVolumes(guest: LabGuest): Set<string> {
  const configs = [guest.config, guest.pending ?? {}, ...guest.snapshots.map((s) => s.config)];
  return new Set(configs.flatMap((config) => configVolumes(config).map((v) => v.volid)));
}

const destroyArgs = z.object({ purge: pveBool.optional(), 'destroy-unreferenced-disks': pveBool.optional(), skiplock: pveBool.optional() });

function destroy(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  parseArgs(destroyArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Allocate');
  checkNotLocked(guest);
  if (guest.config.protection === '1') throw new ApiError(500, "can't remove VM - protection mode enabled");
  if (ctx.lab.runtime.info(guest.vmid)) throw new ApiError(500, `VM ${guest.vmid} is running - destroy failed`);
  const lab = ctx.lab;
  guest.lock = 'destroyed';
  return startTask(ctx, { node: guest.node, type: 'qmdestroy', id: String(guest.vmid) }, async (task) => {
    for (const volid of guestVolumes(guest)) {
      task.log(`Removing image: ${volid}`);
      rmSync(lab.storage.resolve(volid, guest.node), { force: true });
    }
    for (const storage of lab.storage.storages)
      rmSync(join(lab.storage.contentDir(storage.id, guest.node, 'images'), String(guest.vmid)), { recursive: true, force: true });
    lab.model.guests.delete(guest.vmid);
    lab.model.changed();
    task.log(`purging VM ${guest.vmid} from related configurations..`);
  });
}

/** POST .../template: converts a stopped guest into a template. */
function template(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Allocate');
  checkNotLocked(guest);
  if (ctx.lab.runtime.info(guest.vmid)) throw new ApiError(500, "you can't convert a template to a running VM");
  return startTask(ctx, { node: guest.node, type: 'qmtemplate', id: String(guest.vmid) }, async () => {
    guest.config.template = '1';
    ctx.lab.model.changed();
  });
}

export const qemuLifecycleRoutes: Route[] = [
  { method: 'POST', pattern: '/nodes/{node}/qemu', handler: create, params: createArgs.extend(configKeyParameters) },
  { method: 'DELETE', pattern: '/nodes/{node}/qemu/{vmid}', handler: destroy, params: destroyArgs },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/template', handler: template },
];
