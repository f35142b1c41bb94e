import type { HaResourceView, RrdSeries, StorageView, VolumeView } from '../../../shared/domain/operations';
import { IpcError } from '../../../shared/ipc/errors';
import {
  bridgesCall,
  createHaResourceCall,
  deleteHaResourceCall,
  haResourcesCall,
  nextVmidCall,
  rrdCall,
  storageContentCall,
  storagesWithContentCall,
  updateHaResourceCall,
} from '../pve';
import type { Input, OperationsContext } from './operations-context';
import { rrdSeries } from './rrd-series';
import { haResourceView, storageView, volumeView } from './views';

export function nextVmid(ctx: OperationsContext, input: Input<'nextVmid'>): Promise<number> {
  return ctx.send(input.profileId, nextVmidCall());
}

/** The node's enabled storages, those holding `content` when asked. */
export async function storages(ctx: OperationsContext, input: Input<'storages'>): Promise<StorageView[]> {
  const entries = await ctx.send(input.profileId, storagesWithContentCall(input.node, input.content));
  return entries
    .filter((entry) => entry.enabled !== false)
    .map(storageView)
    .filter((storage) => input.content === undefined || storage.content.includes(input.content))
    .sort((a, b) => a.storage.localeCompare(b.storage));
}

export async function volumes(ctx: OperationsContext, input: Input<'volumes'>): Promise<VolumeView[]> {
  const entries = await ctx.send(
    input.profileId,
    storageContentCall(input.node, input.storage, { content: input.content, ...(input.vmid !== undefined ? { vmid: input.vmid } : {}) }),
  );
  return entries.map(volumeView).sort((a, b) => a.volid.localeCompare(b.volid));
}

const bridgeTypes = new Set(['bridge', 'OVSBridge']);

export async function bridges(ctx: OperationsContext, input: Input<'bridges'>): Promise<string[]> {
  const entries = await ctx.send(input.profileId, bridgesCall(input.node));
  return entries
    .filter((entry) => entry.type === undefined || bridgeTypes.has(entry.type))
    .map((entry) => entry.iface)
    .sort((a, b) => a.localeCompare(b));
}

function sidOf(vmid: number): string {
  return `vm:${vmid}`;
}

export async function haResource(ctx: OperationsContext, input: Input<'haResource'>): Promise<HaResourceView | null> {
  const entry = (await ctx.send(input.profileId, haResourcesCall())).find((candidate) => candidate.sid === sidOf(input.vmid));
  return entry !== undefined ? haResourceView(entry) : null;
}

/** Adds the guest to HA or changes its resource (with the digest read before); answers it as PVE now lists it. */
export async function setHa(ctx: OperationsContext, input: Input<'setHa'>): Promise<HaResourceView> {
  const { profileId, vmid } = input;
  const sid = sidOf(vmid);
  const settings = { state: input.state, group: input.group, max_restart: input.maxRestart, max_relocate: input.maxRelocate };
  const comment = input.comment !== undefined && input.comment.length > 0 ? input.comment : undefined;
  if (input.create) await ctx.send(profileId, createHaResourceCall({ sid, type: 'vm', ...settings, comment }));
  else
    await ctx.send(profileId, updateHaResourceCall(sid, { ...settings, comment, delete: comment === undefined ? 'comment' : undefined, digest: input.digest }));
  const saved = await haResource(ctx, { profileId, vmid });
  if (saved === null) {
    throw new IpcError('BAD_RESPONSE', {
      en: `PVE accepted the HA settings of guest ${vmid} but does not list its resource. Refresh and check.`,
      fr: `PVE a accepté les paramètres HA de l’invité ${vmid}, mais sa ressource ne figure pas dans la liste. Actualisez, puis vérifiez.`,
    });
  }
  return saved;
}

export async function removeHa(ctx: OperationsContext, input: Input<'removeHa'>): Promise<null> {
  await ctx.send(input.profileId, deleteHaResourceCall(sidOf(input.vmid)));
  return null;
}

export async function rrd(ctx: OperationsContext, input: Input<'rrd'>): Promise<RrdSeries> {
  return rrdSeries(await ctx.send(input.profileId, rrdCall(input.node, input.vmid, { timeframe: input.timeframe, cf: input.cf })));
}
