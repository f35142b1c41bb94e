import type { JobView } from '../../../shared/domain/jobs';
import type { GuestConfigView, SnapshotView } from '../../../shared/domain/operations';
import { IpcError } from '../../../shared/ipc/errors';
import {
  cloneGuestCall,
  createGuestCall,
  createSnapshotCall,
  deleteSnapshotCall,
  destroyGuestCall,
  guestConfigCall,
  guestPendingCall,
  guestStatusCall,
  moveDiskCall,
  resizeDiskCall,
  rollbackSnapshotCall,
  snapshotListCall,
  updateGuestConfigCall,
} from '../pve';
import { configChangeForm, pendingView } from './config-change';
import { createVmForm } from './create-params';
import { diskSizeOf, growSize } from './disk-size';
import { jobTitle, type Input, type OperationsContext } from './operations-context';
import { conflictError } from './pve-failures';
import { snapshotViews } from './views';

export function createVm(ctx: OperationsContext, input: Input<'create'>): Promise<JobView> {
  const { profileId, node, ...request } = input;
  const title = jobTitle('create', { guest: input.name, vmid: input.vmid, node });
  return ctx.task(profileId, createGuestCall(node, createVmForm(request)), 'create', title, { node, vmid: input.vmid });
}

export async function cloneVm(ctx: OperationsContext, input: Input<'clone'>): Promise<JobView> {
  const { profileId, node, vmid } = input;
  const call = cloneGuestCall(node, vmid, {
    newid: input.newid,
    name: input.name,
    full: input.full,
    ...(input.target !== undefined ? { target: input.target } : {}),
    ...(input.storage !== undefined ? { storage: input.storage } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.pool !== undefined ? { pool: input.pool } : {}),
  });
  const title = jobTitle('clone', { guest: await ctx.guestName(profileId, node, vmid), name: input.name, newid: input.newid });
  return ctx.task(profileId, call, 'clone', title, { node, vmid });
}

export async function destroyVm(ctx: OperationsContext, input: Input<'destroy'>): Promise<JobView> {
  const { profileId, node, vmid } = input;
  const title = jobTitle('destroy', { guest: await ctx.guestName(profileId, node, vmid), vmid });
  return ctx.task(profileId, destroyGuestCall(node, vmid, input), 'destroy', title, { node, vmid });
}

/** The config with its pending changes; the digest from `/pending` when PVE lists it there, else from `/config`. */
export async function readConfig(ctx: OperationsContext, input: Input<'config'>): Promise<GuestConfigView> {
  const { profileId, node, vmid } = input;
  const [pending, status] = await Promise.all([ctx.send(profileId, guestPendingCall(node, vmid)), ctx.send(profileId, guestStatusCall(node, vmid))]);
  const view = pendingView(pending);
  const digest = view.digest ?? (await ctx.send(profileId, guestConfigCall(node, vmid))).digest;
  if (typeof digest !== 'string') {
    throw new IpcError('BAD_RESPONSE', {
      en: 'PVE sent the guest config without its digest. Check the cluster’s version.',
      fr: 'PVE a envoyé la configuration de l’invité sans son empreinte. Vérifiez la version du cluster.',
    });
  }
  return { digest, entries: view.entries, running: status.status === 'running' };
}

export async function updateConfig(ctx: OperationsContext, input: Input<'updateConfig'>): Promise<JobView> {
  const { profileId, node, vmid } = input;
  const form = configChangeForm(input);
  const title = jobTitle('updateConfig', { guest: await ctx.guestName(profileId, node, vmid) });
  return ctx.task(profileId, updateGuestConfigCall(node, vmid, form), 'updateConfig', title, { node, vmid });
}

/** Grows a disk to an absolute size, refused before asking PVE when it would not grow. */
export async function resizeDisk(ctx: OperationsContext, input: Input<'resizeDisk'>): Promise<JobView> {
  const { profileId, node, vmid, disk } = input;
  const config = await ctx.send(profileId, guestConfigCall(node, vmid));
  if (input.digest !== undefined && config.digest !== input.digest) throw conflictError();
  const size = growSize(diskSizeOf(config, disk), input.size);
  const name = typeof config.name === 'string' ? config.name : String(vmid);
  const call = resizeDiskCall(node, vmid, { disk, size, ...(input.digest !== undefined ? { digest: input.digest } : {}) });
  return ctx.task(profileId, call, 'resizeDisk', jobTitle('resizeDisk', { guest: name, disk, size }), { node, vmid });
}

export async function moveDisk(ctx: OperationsContext, input: Input<'moveDisk'>): Promise<JobView> {
  const { profileId, node, vmid, disk, storage } = input;
  const call = moveDiskCall(node, vmid, {
    disk,
    storage,
    delete: input.deleteSource,
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.digest !== undefined ? { digest: input.digest } : {}),
  });
  const title = jobTitle('moveDisk', { guest: await ctx.guestName(profileId, node, vmid), disk, storage });
  return ctx.task(profileId, call, 'moveDisk', title, { node, vmid });
}

export async function listSnapshots(ctx: OperationsContext, input: Input<'snapshots'>): Promise<SnapshotView[]> {
  return snapshotViews(await ctx.send(input.profileId, snapshotListCall(input.node, input.vmid)));
}

export async function createSnapshot(ctx: OperationsContext, input: Input<'createSnapshot'>): Promise<JobView> {
  const { profileId, node, vmid, name } = input;
  const call = createSnapshotCall(node, vmid, {
    snapname: name,
    vmstate: input.vmstate,
    ...(input.description !== undefined ? { description: input.description } : {}),
  });
  const title = jobTitle('snapshotCreate', { guest: await ctx.guestName(profileId, node, vmid), snapshot: name });
  return ctx.task(profileId, call, 'snapshotCreate', title, { node, vmid });
}

export async function rollbackSnapshot(ctx: OperationsContext, input: Input<'rollbackSnapshot'>): Promise<JobView> {
  const { profileId, node, vmid, name } = input;
  const title = jobTitle('snapshotRollback', { guest: await ctx.guestName(profileId, node, vmid), snapshot: name });
  return ctx.task(profileId, rollbackSnapshotCall(node, vmid, name, input.start), 'snapshotRollback', title, { node, vmid });
}

export async function deleteSnapshot(ctx: OperationsContext, input: Input<'deleteSnapshot'>): Promise<JobView> {
  const { profileId, node, vmid, name } = input;
  const title = jobTitle('snapshotDelete', { guest: await ctx.guestName(profileId, node, vmid), snapshot: name });
  return ctx.task(profileId, deleteSnapshotCall(node, vmid, name), 'snapshotDelete', title, { node, vmid });
}
