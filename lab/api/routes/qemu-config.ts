import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { GuestConfig, TaskContext } from '../../contracts';
import {
  CONFIG_KEY_NAMES,
  DISK_KEY,
  UNUSED_KEY,
  configDigest,
  isCdrom,
  isConfigKey,
  nextFreeKey,
  parseDrive,
  privilegeForKey,
} from '../../cluster/guest-config';
import type { LabGuest } from '../../cluster/model';
import { parseVolid } from '../../cluster/storage';
import type { Privilege } from '../../cluster/roles';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { allocateDisk, checkDiskRequest, diskRequest, type DiskRequest } from '../disk-allocation';
import { guestAt, checkNotLocked } from '../guest-view';
import { dnsName, parseArgs, pveBool, pveInt, type Args } from '../params';
import { startTask } from '../tasks-helper';

/** Arguments of config calls that are not config keys. */
const CONTROL_ARGS = new Set(['delete', 'digest', 'revert', 'skiplock', 'force', 'background_delay', 'node', 'vmid']);

const valueRules: Record<string, z.ZodType> = {
  name: dnsName,
  memory: z
    .string()
    .regex(/^\d+$/, "type check ('integer') failed")
    .refine((v) => Number(v) >= 16, 'value must have a minimum value of 16'),
  cores: z
    .string()
    .regex(/^\d+$/, "type check ('integer') failed")
    .refine((v) => Number(v) >= 1 && Number(v) <= 1024, 'value out of range'),
  sockets: z
    .string()
    .regex(/^\d+$/, "type check ('integer') failed")
    .refine((v) => Number(v) >= 1 && Number(v) <= 16, 'value out of range'),
  onboot: z.enum(['0', '1']),
  template: z.enum(['0', '1']),
  protection: z.enum(['0', '1']),
  tags: z.string().regex(/^[a-z0-9_][a-z0-9_\-+.]*([;, ][a-z0-9_][a-z0-9_\-+.]*)*$/i, 'invalid format - invalid tag list'),
  description: z.string().max(8192),
};

/** Splits arguments into config changes and deletions, validating keys and values like PVE's schema would. */
export function configChanges(args: Args): { set: GuestConfig; remove: string[] } {
  const set: GuestConfig = {};
  const errors: Record<string, string> = {};
  for (const [key, raw] of Object.entries(args)) {
    if (CONTROL_ARGS.has(key)) continue;
    if (!isConfigKey(key) || key === 'template' || (UNUSED_KEY.test(key) && !raw)) {
      errors[key] = 'property is not defined in schema and the schema does not allow additional properties';
      continue;
    }
    const value =
      key === 'tags'
        ? raw
            .split(/[;, ]+/)
            .filter(Boolean)
            .join(';')
        : raw;
    const rule = valueRules[key];
    const checked = rule?.safeParse(value);
    if (checked && !checked.success) errors[key] = checked.error.issues[0]?.message ?? 'invalid value';
    else set[key] = value;
  }
  const remove = (args.delete ?? '').split(/[,;\s\0]+/).filter(Boolean);
  for (const key of remove) {
    if (!isConfigKey(key)) errors.delete = `invalid configuration key '${key}'`;
    if (key in set) errors[key] = `unable to delete '${key}' - set and deleted at the same time`;
  }
  if (Object.keys(errors).length > 0) throw parameterError(errors);
  return { set, remove };
}

function checkDigest(guest: LabGuest, digest: string | undefined): void {
  if (digest && digest !== configDigest(guest.config)) throw new ApiError(500, 'detected modified configuration - file changed by other user? Try again.');
}

/** Applies validated changes: new disks are allocated (in a task), removed disks become unusedN, removed unusedN are destroyed. */
async function applyChanges(
  ctx: RequestContext,
  guest: LabGuest,
  set: GuestConfig,
  remove: string[],
  disks: DiskRequest[],
  task: TaskContext | undefined,
): Promise<void> {
  const lab = ctx.lab;
  for (const key of remove) {
    const value = guest.config[key];
    if (value === undefined) continue;
    Reflect.deleteProperty(guest.config, key);
    const volume = parseDrive(value).volume;
    if (UNUSED_KEY.test(key) && parseVolid(volume)) {
      rmSync(lab.storage.resolve(volume, guest.node), { force: true });
      task?.log(`removed unused disk ${volume}`);
    } else if (DISK_KEY.test(key) && !isCdrom(value) && parseVolid(volume)) {
      guest.config[nextFreeKey(guest.config, 'unused')] = volume;
    }
  }
  for (const [key, value] of Object.entries(set)) {
    const request = disks.find((d) => d.key === key);
    if (request) {
      if (!task) throw new ApiError(500, 'internal error: disk allocation outside a task');
      const previous = guest.config[key];
      guest.config[key] = await allocateDisk(ctx, guest.node, guest.vmid, request, guest.config, task);
      if (previous && !isCdrom(previous) && parseVolid(parseDrive(previous).volume))
        guest.config[nextFreeKey(guest.config, 'unused')] = parseDrive(previous).volume;
    } else {
      guest.config[key] = value;
    }
  }
  lab.model.changed();
}

const configControl = z.object({
  digest: z.string().max(40).optional(),
  skiplock: pveBool.optional(),
  delete: z.string().optional(),
  revert: z.string().optional(),
  force: pveBool.optional(),
});
/** `update_vm_async` only: wait up to this many seconds and answer null when the task is done by then. */
const asyncControl = configControl.extend({ background_delay: pveInt(1, 30).optional() });

/** Config keys as parameters; their values are checked by `configChanges`. */
export const configKeyParameters = Object.fromEntries(CONFIG_KEY_NAMES.map((key) => [key, z.string().optional()]));

function updateConfig(mode: 'sync' | 'async') {
  return async (ctx: RequestContext): Promise<unknown> => {
    const guest = guestAt(ctx);
    const control = parseArgs(configControl, ctx.args);
    const { set, remove } = configChanges(ctx.args);
    if (Object.keys(set).length === 0 && remove.length === 0) throw new ApiError(400, 'no options specified');
    for (const key of [...Object.keys(set), ...remove]) ctx.require(`/vms/${guest.vmid}`, privilegeForKey(key, set[key] ?? guest.config[key]) as Privilege);
    if (!control.skiplock || ctx.who.userid !== 'root@pam') checkNotLocked(guest);
    checkDigest(guest, control.digest);
    const disks = Object.entries(set)
      .map(([key, value]) => diskRequest(key, value))
      .filter((d): d is DiskRequest => d !== undefined);
    for (const disk of disks) checkDiskRequest(ctx, guest.node, disk);
    if (mode === 'sync' && disks.length === 0) {
      await applyChanges(ctx, guest, set, remove, [], undefined);
      return null;
    }
    // POST always works in a `qmconfig` task (update_vm_async): the change shows once the task has ended.
    const upid = startTask(ctx, { node: guest.node, type: 'qmconfig', id: String(guest.vmid) }, (task) => applyChanges(ctx, guest, set, remove, disks, task));
    const record = ctx.lab.tasks.get(upid);
    if (mode === 'async') {
      const delay = parseArgs(asyncControl, ctx.args).background_delay;
      if (!delay || !record) return upid;
      const finished = await Promise.race([record.done.then(() => true), sleep(delay * 1000, false)]);
      if (!finished) return upid;
      if (record.exitstatus !== 'OK') throw new ApiError(500, `failed to update VM ${guest.vmid}: ${record.exitstatus ?? ''}`);
      return null;
    }
    // PUT is synchronous in PVE: wait for the allocation and report its failure directly.
    await record?.done;
    if (record?.exitstatus !== 'OK') throw new ApiError(500, record?.exitstatus ?? 'config update failed');
    return null;
  };
}

const getArgs = z.object({ current: pveBool.optional(), snapshot: z.string().optional() });

function getConfig(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  const args = parseArgs(getArgs, ctx.args);
  if (args.snapshot) {
    const snapshot = guest.snapshots.find((s) => s.name === args.snapshot);
    if (!snapshot) throw new ApiError(500, `snapshot '${args.snapshot}' does not exist`);
    return { ...snapshot.config, digest: configDigest(guest.config) };
  }
  const out: Record<string, unknown> = { ...guest.config, digest: configDigest(guest.config) };
  if (guest.lock) out.lock = guest.lock;
  return out;
}

function pending(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  return Object.entries(guest.config).map(([key, value]) => ({ key, value }));
}

export const qemuConfigRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/config', handler: getConfig, params: getArgs },
  { method: 'PUT', pattern: '/nodes/{node}/qemu/{vmid}/config', handler: updateConfig('sync'), params: configControl.extend(configKeyParameters) },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/config', handler: updateConfig('async'), params: asyncControl.extend(configKeyParameters) },
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/pending', handler: pending },
];
