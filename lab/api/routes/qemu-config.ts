import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { GuestConfig, TaskContext } from '../../contracts';
import { CONFIG_KEY_NAMES, DISK_KEY, UNUSED_KEY, configDigest, isConfigKey, parseDrive, privilegeForKey, withMacAddress } from '../../cluster/guest-config';
import {
  addPendingDelete,
  applyPending,
  cleanupPending,
  configWithPending,
  dropReattachedUnused,
  effectiveConfig,
  registerUnused,
  removePendingDelete,
} from '../../cluster/pending';
import { hotplugPending } from '../hotplug-pending';
import type { LabGuest } from '../../cluster/model';
import { parseVolid } from '../../cluster/storage';
import type { Privilege } from '../../cluster/roles';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { allocateDisk, checkDiskRequest, diskRequest, existingVolumeValue, type DiskRequest } from '../disk-allocation';
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
    const value = /^net\d+$/.test(key)
      ? withMacAddress(raw)
      : key === 'tags'
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
  // update_vm_api's $load_and_check_config, before any task starts (move_disk words it as assert_if_modified).
  if (digest && digest !== configDigest(guest.config, guest.pending)) throw new ApiError(500, 'checksum mismatch (file change by other user?)');
}

function protectionError(guest: LabGuest, what: string): void {
  if (guest.config.protection === '1') throw new ApiError(500, `${what} - protection mode enabled`);
}

interface ConfigChange {
  set: GuestConfig;
  remove: string[];
  /** `force`: removed disks are destroyed rather than kept as unusedN (`!key` in the pending delete). */
  force: boolean;
  disks: DiskRequest[];
}

/**
 * update_vm_api's `$updatefn`: every change goes to `[PENDING]` first (new disks are allocated then; removing an
 * unusedN destroys its volume at once), then a stopped guest applies them all (vmconfig_apply_pending) and a running
 * one what it can hot-plug (vmconfig_hotplug_pending); the rest waits for its next start.
 */
async function writeChanges(ctx: RequestContext, guest: LabGuest, change: ConfigChange, log: (line: string) => void): Promise<void> {
  const lab = ctx.lab;
  const config = guest.config;
  const pending = (guest.pending ??= {});
  const modified = new Set<string>();
  for (const key of change.remove) {
    const value = config[key] ?? pending[key];
    if (value === undefined) {
      log(`cannot delete '${key}' - not set in current configuration!`);
      continue;
    }
    modified.add(key);
    const wasPending = pending[key] !== undefined;
    Reflect.deleteProperty(pending, key);
    if (UNUSED_KEY.test(key)) {
      const volume = parseDrive(value).volume;
      protectionError(guest, `can't remove unused disk '${volume}'`);
      if (parseVolid(volume)) rmSync(lab.storage.resolve(volume, guest.node), { force: true });
      log(`removed unused disk ${volume}`);
      Reflect.deleteProperty(config, key);
    } else if (key === 'tags') {
      Reflect.deleteProperty(config, key);
    } else {
      if (DISK_KEY.test(key)) {
        protectionError(guest, `can't remove drive '${key}'`);
        if (wasPending) registerUnused(config, value);
      }
      addPendingDelete(pending, key, change.force);
    }
  }
  for (const [key, value] of Object.entries(change.set)) {
    modified.add(key);
    if (pending[key] === value) continue;
    if (DISK_KEY.test(key)) {
      registerUnused(config, pending[key]);
      const request = change.disks.find((d) => d.key === key);
      pending[key] = request
        ? await allocateDisk(ctx, guest.node, guest.vmid, request, { ...config, ...pending }, taskOf(log))
        : await existingVolumeValue(ctx, guest.node, key, value);
    } else {
      pending[key] = value;
    }
    removePendingDelete(pending, key);
  }
  cleanupPending(config, pending);
  let errors: Record<string, string> = {};
  if (Object.keys(pending).length > 0) {
    if (lab.runtime.info(guest.vmid)) errors = await hotplugPending(lab, guest, modified);
    else applyPending(guest, (volid) => rmSync(lab.storage.resolve(volid, guest.node), { force: true }));
  }
  if (guest.pending && Object.keys(guest.pending).length === 0) delete guest.pending;
  dropReattachedUnused(guest.config, guest.pending);
  lab.model.changed();
  if (Object.keys(errors).length > 0) throw parameterError(errors);
}

/** allocateDisk logs through a TaskContext; a synchronous PUT has none, its lines go nowhere as PVE's print does. */
function taskOf(log: (line: string) => void): TaskContext {
  return { log, signal: new AbortController().signal };
}

/** `revert`: a key back to its current value (its pending value dropped), or a key only pending removed. */
function withReverts(guest: LabGuest, revert: string | undefined, change: { set: GuestConfig; remove: string[] }): void {
  const keys = (revert ?? '').split(/[,;\s\0]+/).filter(Boolean);
  const errors: Record<string, string> = {};
  for (const key of keys) {
    if (!isConfigKey(key)) errors.revert = `unknown option '${key}'`;
    else if (key in change.set) errors.delete = `you can't use '-${key}' and -revert ${key}' at the same time`;
    else if (change.remove.includes(key)) errors.revert = `you can't use '-delete ${key}' and -revert ${key}' at the same time`;
  }
  if (Object.keys(errors).length > 0) throw parameterError(errors);
  for (const key of keys) {
    const current = guest.config[key];
    if (current !== undefined) {
      change.set[key] = current;
      if (guest.pending) removePendingDelete(guest.pending, key);
    } else if (guest.pending?.[key] !== undefined) change.remove.push(key);
  }
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
    if (Object.keys(set).length === 0 && remove.length === 0 && !control.revert) throw new ApiError(400, 'no options specified');
    for (const key of [...Object.keys(set), ...remove]) ctx.require(`/vms/${guest.vmid}`, privilegeForKey(key, set[key] ?? guest.config[key]) as Privilege);
    if (!control.skiplock || ctx.who.userid !== 'root@pam') checkNotLocked(guest);
    checkDigest(guest, control.digest);
    withReverts(guest, control.revert, { set, remove });
    const disks = Object.entries(set)
      .map(([key, value]) => diskRequest(key, value))
      .filter((d): d is DiskRequest => d !== undefined);
    for (const disk of disks) checkDiskRequest(ctx, guest.node, disk);
    const change: ConfigChange = { set, remove, force: control.force ?? false, disks };
    const summary = `update VM ${guest.vmid}: ${[...Object.entries(set).map(([k, v]) => `-${k} ${v}`), ...(remove.length ? [`-delete ${remove.join(',')}`] : [])].join(' ')}`;
    if (mode === 'sync') {
      await writeChanges(ctx, guest, change, () => undefined);
      return null;
    }
    // POST always works in a `qmconfig` task (update_vm_async): the change shows once the task has ended.
    const upid = startTask(ctx, { node: guest.node, type: 'qmconfig', id: String(guest.vmid) }, async (task) => {
      // $updatefn loads and checks the config again under the lock: an edit that got in first fails this task.
      if (control.digest && control.digest !== configDigest(guest.config, guest.pending)) throw new Error('checksum mismatch (file change by other user?)');
      task.log(summary);
      await writeChanges(ctx, guest, change, (line) => task.log(line));
    });
    const record = ctx.lab.tasks.get(upid);
    const delay = parseArgs(asyncControl, ctx.args).background_delay;
    if (!delay || !record) return upid;
    const finished = await Promise.race([record.done.then(() => true), sleep(delay * 1000, false)]);
    if (!finished) return upid;
    if (record.exitstatus !== 'OK') throw new ApiError(500, `failed to update VM ${guest.vmid}: ${record.exitstatus ?? ''}`);
    return null;
  };
}

const getArgs = z.object({ current: pveBool.optional(), snapshot: z.string().optional() });

/** vm_config: the pending values merged in, unless `current`; the digest covers the whole file. */
function getConfig(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  const args = parseArgs(getArgs, ctx.args);
  const digest = configDigest(guest.config, guest.pending);
  if (args.snapshot) {
    const snapshot = guest.snapshots.find((s) => s.name === args.snapshot);
    if (!snapshot) throw new ApiError(500, `snapshot '${args.snapshot}' does not exist`);
    return { ...snapshot.config, digest };
  }
  const out: Record<string, unknown> = { ...effectiveConfig(guest.config, guest.pending, args.current ?? false), digest };
  if (guest.lock) out.lock = guest.lock;
  return out;
}

/** vm_pending: `config_with_pending_array` (`value`, `pending`, `delete` 1 or 2 for a forced removal). */
function pending(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  return configWithPending(guest.config, guest.pending);
}

export const qemuConfigRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/config', handler: getConfig, params: getArgs },
  { method: 'PUT', pattern: '/nodes/{node}/qemu/{vmid}/config', handler: updateConfig('sync'), params: configControl.extend(configKeyParameters) },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/config', handler: updateConfig('async'), params: asyncControl.extend(configKeyParameters) },
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/pending', handler: pending },
];
