import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HaSettings, LabGuest } from '../../cluster/model';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { parseArgs, pveBool, pveEnum, pveInt } from '../params';

/**
 * HA resources as pve-ha-manager's `PVE/API2/HA/Resources.pm` serves them:
 * the lab keeps a resource on its guest (`hastate` is the requested state,
 * `ha` the other settings of ha/resources.cfg). Only `vm:` resources exist.
 */

/** `pve-ha-resource-or-vm-id`: `vm:100` or a bare VMID. */
const sidParam = z.string().regex(/^(\d+|\S+:\S+)$/, 'invalid format - value does not look like a valid ha resource id');

const settings = {
  state: pveEnum(['started', 'stopped', 'enabled', 'disabled', 'ignored']).optional(),
  group: z.string().optional(),
  max_restart: pveInt(0).optional(),
  max_relocate: pveInt(0).optional(),
  comment: z.string().max(4096).optional(),
  type: pveEnum(['vm', 'ct']).optional(),
};
const createArgs = z.object({ sid: sidParam, ...settings });
const updateArgs = z.object({ ...settings, delete: z.string().optional(), digest: z.string().max(64).optional() });
const deleteArgs = z.object({ purge: pveBool.optional() });

/** PVE::HA::Config::parse_sid, for the lab's only resource type: the guest it names. */
function parseSid(ctx: RequestContext, sid: string): { sid: string; vmid: number } {
  const bare = /^(\d+)$/.exec(sid);
  if (bare) {
    if (!ctx.lab.model.guests.has(Number(bare[1]))) throw new ApiError(500, `unable to detect SID from VMID - VM/CT ${bare[1]} does not exist`);
    return { sid: `vm:${bare[1]}`, vmid: Number(bare[1]) };
  }
  const typed = /^(\S+):(\S+)$/.exec(sid);
  if (!typed || typed[1] !== 'vm') throw new ApiError(500, `unable to parse service id '${sid}'`);
  if (!/^[1-9][0-9]+$/.test(typed[2] ?? '')) throw new ApiError(500, 'invalid VMID');
  return { sid, vmid: Number(typed[2]) };
}

function managedGuests(ctx: RequestContext): LabGuest[] {
  return [...ctx.lab.model.guests.values()].filter((g) => g.hastate !== undefined).sort((a, b) => a.vmid - b.vmid);
}

/** The SHA1 of ha/resources.cfg as PVE writes it: every resource's section, in order. */
function resourcesDigest(ctx: RequestContext): string {
  const sections = managedGuests(ctx).map((g) => JSON.stringify([g.vmid, g.hastate, g.ha ?? {}]));
  return createHash('sha1').update(sections.join('\n')).digest('hex');
}

/** `$api_copy_config`: the resource's settings, its sid and the file's digest; groups are gone in PVE 9 (migrated to rules). */
function resourceView(guest: LabGuest, digest: string): Record<string, unknown> {
  return { sid: `vm:${guest.vmid}`, type: 'vm', state: guest.hastate, ...guest.ha, digest };
}

function managedGuest(ctx: RequestContext, sid: string): LabGuest {
  const parsed = parseSid(ctx, sid);
  const guest = ctx.lab.model.guests.get(parsed.vmid);
  if (!guest?.hastate) throw new ApiError(500, `no such resource '${parsed.sid}'`);
  return guest;
}

/** PVE 9 has migrated HA groups to rules; without groups, `group` is refused. */
function refuseGroup(group: string | undefined): void {
  if (group !== undefined) throw new ApiError(500, "invalid parameter 'group': ha groups have been migrated to rules");
}

/** `check_config`: `enabled` is the old name of `started`. */
function requestedState(state: string | undefined): string | undefined {
  return state === 'enabled' ? 'started' : state;
}

function list(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Audit');
  const { type } = parseArgs(z.object({ type: settings.type }), ctx.args);
  const digest = resourcesDigest(ctx);
  return type === 'ct' ? [] : managedGuests(ctx).map((g) => resourceView(g, digest));
}

function read(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Audit');
  return resourceView(managedGuest(ctx, ctx.param('sid')), resourcesDigest(ctx));
}

function create(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Console');
  const args = parseArgs(createArgs, ctx.args);
  const { sid, vmid } = parseSid(ctx, args.sid);
  if (args.type !== undefined && args.type !== 'vm') throw new ApiError(500, 'types does not match');
  refuseGroup(args.group);
  const guest = ctx.lab.model.guests.get(vmid);
  if (!guest) throw new ApiError(500, `resource '${sid}' does not exist in cluster`);
  if (guest.hastate !== undefined) throw new ApiError(500, `create resource failed: resource ID '${sid}' already defined`);
  guest.hastate = requestedState(args.state) ?? 'started';
  guest.ha = withSettings({}, args);
  ctx.lab.model.changed();
  return null;
}

function withSettings(ha: HaSettings, args: { max_restart?: number; max_relocate?: number; comment?: string }): HaSettings {
  const out = { ...ha };
  if (args.max_restart !== undefined) out.max_restart = args.max_restart;
  if (args.max_relocate !== undefined) out.max_relocate = args.max_relocate;
  if (args.comment !== undefined) out.comment = args.comment;
  return out;
}

function update(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Console');
  const args = parseArgs(updateArgs, ctx.args);
  const guest = managedGuest(ctx, ctx.param('sid'));
  if (args.type !== undefined && args.type !== 'vm') throw new ApiError(500, 'types does not match');
  refuseGroup(args.group);
  if (args.digest !== undefined && args.digest !== resourcesDigest(ctx))
    throw new ApiError(500, 'detected modified configuration - file changed by other user? Try again.');
  const ha = withSettings(guest.ha ?? {}, args);
  for (const key of (args.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
    if (key !== 'max_restart' && key !== 'max_relocate' && key !== 'comment') throw new ApiError(500, `unable to delete required option '${key}'`);
    Reflect.deleteProperty(ha, key);
  }
  guest.ha = ha;
  guest.hastate = requestedState(args.state) ?? guest.hastate;
  ctx.lab.model.changed();
  return null;
}

function remove(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Console');
  parseArgs(deleteArgs, ctx.args);
  const { sid, vmid } = parseSid(ctx, ctx.param('sid'));
  const guest = ctx.lab.model.guests.get(vmid);
  if (!guest?.hastate) throw new ApiError(500, `cannot delete service '${sid}', not HA managed!`);
  delete guest.hastate;
  delete guest.ha;
  ctx.lab.model.changed();
  return null;
}

export const haResourceRoutes: Route[] = [
  { method: 'GET', pattern: '/cluster/ha/resources', handler: list, params: z.object({ type: settings.type }) },
  { method: 'POST', pattern: '/cluster/ha/resources', handler: create, params: createArgs },
  { method: 'GET', pattern: '/cluster/ha/resources/{sid}', handler: read },
  { method: 'PUT', pattern: '/cluster/ha/resources/{sid}', handler: update, params: updateArgs },
  { method: 'DELETE', pattern: '/cluster/ha/resources/{sid}', handler: remove, params: deleteArgs },
];
