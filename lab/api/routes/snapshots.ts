import { z } from 'zod';
import { diskKeys, parseDrive } from '../../cluster/guest-config';
import type { GuestSnapshot, LabGuest } from '../../cluster/model';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { guestAt } from '../guest-view';
import { parseArgs, pveBool, snapshotName } from '../params';
import { ensureVolumes } from '../../cluster/disks';
import { guestRef, lockedTask } from '../tasks-helper';
import { startGuest } from './qemu-status';

function snapshotAt(guest: LabGuest, name: string): GuestSnapshot {
  const snapshot = guest.snapshots.find((s) => s.name === name);
  if (!snapshot) throw new ApiError(500, `snapshot '${name}' does not exist`);
  return snapshot;
}

/** GET .../snapshot: every snapshot plus the `current` entry ("You are here!"). */
function list(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  const items: Record<string, unknown>[] = guest.snapshots.map((s) => {
    const item: Record<string, unknown> = { name: s.name, snaptime: s.snaptime, description: s.description, vmstate: s.vmstate ? 1 : 0 };
    if (s.parent) item.parent = s.parent;
    return item;
  });
  const current: Record<string, unknown> = { name: 'current', description: 'You are here!', running: ctx.lab.runtime.info(guest.vmid) ? 1 : 0, digest: '' };
  if (guest.config.parent) current.parent = guest.config.parent;
  return [...items, current];
}

const createArgs = z.object({ snapname: snapshotName, vmstate: pveBool.optional(), description: z.string().max(8192).optional() });

function create(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  const args = parseArgs(createArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Snapshot');
  if (guest.snapshots.some((s) => s.name === args.snapname)) throw new ApiError(500, `snapshot name '${args.snapname}' already used`);
  for (const key of diskKeys(guest.config)) {
    const volume = parseDrive(guest.config[key] ?? '').volume;
    if (!volume.endsWith('.qcow2')) throw new ApiError(500, `snapshot feature is not available`);
  }
  const vmstate = (args.vmstate ?? false) && ctx.lab.runtime.info(guest.vmid) !== undefined;
  const lab = ctx.lab;
  return lockedTask(ctx, guest, 'snapshot', { type: 'qmsnapshot' }, async (task) => {
    await ensureVolumes(lab.storage, guest.config, guest.node, task.log);
    await lab.runtime.snapshotCreate(guestRef(guest), args.snapname, { vmstate }, task);
    const config = { ...guest.config };
    delete config.parent;
    const snapshot: GuestSnapshot = { name: args.snapname, snaptime: Math.floor(Date.now() / 1000), vmstate, description: args.description ?? '', config };
    if (guest.config.parent) snapshot.parent = guest.config.parent;
    // __snapshot_copy_config copies the [PENDING] section too; a rollback brings it back.
    if (guest.pending) snapshot.pending = { ...guest.pending };
    guest.snapshots.push(snapshot);
    guest.config.parent = args.snapname;
    lab.model.changed();
  });
}

const rollbackArgs = z.object({ start: pveBool.optional() });

function rollback(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  const args = parseArgs(rollbackArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Snapshot.Rollback');
  const snapshot = snapshotAt(guest, ctx.param('snapname'));
  const lab = ctx.lab;
  const upid = lockedTask(ctx, guest, 'rollback', { type: 'qmrollback' }, async (task) => {
    await lab.runtime.snapshotRollback(guestRef(guest), snapshot.name, task);
    guest.config = { ...snapshot.config, parent: snapshot.name };
    if (snapshot.pending) guest.pending = { ...snapshot.pending };
    else delete guest.pending;
    lab.model.changed();
  });
  if (args.start && !snapshot.vmstate) {
    const record = lab.tasks.get(upid);
    void record?.done.then(() => {
      if (record.exitstatus === 'OK' && !lab.runtime.info(guest.vmid)) startGuest(ctx, guest);
    });
  }
  return upid;
}

function remove(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Snapshot');
  const snapshot = snapshotAt(guest, ctx.param('snapname'));
  const lab = ctx.lab;
  return lockedTask(ctx, guest, 'snapshot-delete', { type: 'qmdelsnapshot' }, async (task) => {
    await lab.runtime.snapshotDelete(guestRef(guest), snapshot.name, task);
    for (const child of guest.snapshots) if (child.parent === snapshot.name) child.parent = snapshot.parent;
    if (guest.config.parent === snapshot.name) {
      if (snapshot.parent) guest.config.parent = snapshot.parent;
      else delete guest.config.parent;
    }
    guest.snapshots = guest.snapshots.filter((s) => s !== snapshot);
    lab.model.changed();
  });
}

/** delsnapshot's `force`: the lab never leaves a half-removed snapshot behind, so it has nothing to force. */
const removeArgs = z.object({ force: pveBool.optional() });

export const snapshotRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/snapshot', handler: list },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/snapshot', handler: create, params: createArgs },
  {
    method: 'GET',
    pattern: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}',
    handler: (ctx) => {
      snapshotAt(guestAt(ctx), ctx.param('snapname'));
      return [{ rel: 'config' }, { rel: 'rollback' }];
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config',
    handler: (ctx) => {
      const g = guestAt(ctx);
      ctx.require(`/vms/${g.vmid}`, 'VM.Audit');
      const s = snapshotAt(g, ctx.param('snapname'));
      return { ...s.config, snaptime: s.snaptime, description: s.description, ...(s.parent ? { parent: s.parent } : {}) };
    },
  },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback', handler: rollback, params: rollbackArgs },
  { method: 'DELETE', pattern: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}', handler: remove, params: removeArgs },
];
