import { z } from 'zod';
import type { LabGuest } from '../../cluster/model';
import type { ClusterServices } from '../../cluster/services';
import type { RequestContext, Route } from '../context';
import { guestResource } from '../guest-view';
import { nodeResource } from '../node-view';
import { parseArgs, pveEnum } from '../params';

type Item = Record<string, unknown>;

/** Cluster.pm `resources` declares these four; `pool` and `network` items come only without a filter. */
const resourceArgs = z.object({ type: pveEnum(['vm', 'storage', 'node', 'sdn']).optional() });

interface PoolItem extends Item {
  uptime?: number;
  mem?: number;
  maxmem?: number;
  cpu?: number;
  maxcpu?: number;
}

/** Cluster.pm adds each running member's figures to its pool entry, whatever the caller may audit of the guest. */
function addToPool(pool: PoolItem, guest: Item): void {
  const uptime = Number(guest.uptime ?? 0);
  if (!uptime) return;
  const maxcpu = Number(guest.maxcpu ?? 0);
  const before = pool.maxcpu ?? 0;
  pool.uptime = Math.max(pool.uptime ?? 0, uptime);
  pool.mem = (pool.mem ?? 0) + Number(guest.mem ?? 0);
  pool.maxmem = (pool.maxmem ?? 0) + Number(guest.maxmem ?? 0);
  // The pool's CPU is the share of all its running members' CPUs in use.
  pool.cpu = ((pool.cpu ?? 0) * before + Number(guest.cpu ?? 0) * maxcpu) / (before + maxcpu);
  pool.maxcpu = before + maxcpu;
}

/** Perl's `sort keys %$idlist`: vmids in string order (100, 1000, 10000, 1001…). */
function guestsInPveOrder(lab: ClusterServices): LabGuest[] {
  return [...lab.model.guests.values()]
    .map((guest) => ({ guest, key: String(guest.vmid) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ guest }) => guest);
}

function guestItems(ctx: RequestContext, pools: Map<string, PoolItem>): Item[] {
  const out: Item[] = [];
  for (const guest of guestsInPveOrder(ctx.lab)) {
    const pool = guest.pool ? pools.get(guest.pool) : undefined;
    const audit = ctx.can(`/vms/${guest.vmid}`, 'VM.Audit');
    if (!pool && !audit) continue;
    const item = guestResource(ctx.lab, guest);
    if (pool) addToPool(pool, item);
    if (!audit) continue;
    if (guest.pool && !ctx.can(`/pool/${guest.pool}`, 'Pool.Audit')) delete item.pool;
    out.push(item);
  }
  return out;
}

/** pvestatd's `static-info` gives `cgroup-mode`; the HA manager's status gives each node's state once it manages a guest. */
function nodeItems(ctx: RequestContext): Item[] {
  const lab = ctx.lab;
  const haActive = [...lab.model.guests.values()].some((g) => g.hastate);
  return lab.model.nodes.map((node) => {
    const item = nodeResource(lab, node, ctx.can(`/nodes/${node.name}`, 'Sys.Audit'));
    item['cgroup-mode'] = 2;
    if (haActive) item.hastate = lab.faults.isOffline(node.name) ? 'unknown' : 'online';
    return item;
  });
}

/** API2Tools.pm `extract_storage_stats`, one item per storage and node (storage first, as Cluster.pm loops). */
function storageItems(ctx: RequestContext): Item[] {
  const lab = ctx.lab;
  const out: Item[] = [];
  for (const storage of lab.storage.storages) {
    if (!ctx.can(`/storage/${storage.id}`, 'Datastore.Audit')) continue;
    for (const node of lab.model.nodes) {
      const item: Item = {
        id: `storage/${node.name}/${storage.id}`,
        storage: storage.id,
        node: node.name,
        type: 'storage',
        plugintype: storage.type,
        status: 'unknown',
        shared: storage.shared ? 1 : 0,
        content: [...storage.content].sort().join(','),
      };
      const usage = lab.faults.isOffline(node.name) ? undefined : lab.storage.usage(storage.id, node.name);
      if (usage) Object.assign(item, { maxdisk: usage.total, disk: usage.used, status: 'available' });
      out.push(item);
    }
  }
  return out;
}

/**
 * The `localnetwork` zone of every node. PVE 9.2's pvestatd sends it in the
 * `network` format, which Cluster.pm prefers (its `sdn` filter then lists
 * nothing); PVE 8.4 lists it as an `sdn` item.
 */
function networkItems(ctx: RequestContext, type: string | undefined): Item[] {
  if (!ctx.can('/sdn/zones/localnetwork', 'SDN.Audit')) return [];
  const nodes = ctx.lab.model.nodes.map((n) => n.name);
  if (ctx.lab.release.major < 9) {
    if (type && type !== 'sdn') return [];
    return nodes.map((node) => ({ id: `sdn/${node}/localnetwork`, sdn: 'localnetwork', node, type: 'sdn', status: 'ok' }));
  }
  if (type) return [];
  return nodes.map((node) => ({
    id: `network/${node}/zone/localnetwork`,
    type: 'network',
    'network-type': 'zone',
    network: 'localnetwork',
    node,
    status: 'ok',
  }));
}

/** pve-manager PVE/API2/Cluster.pm `resources`: pools, guests, nodes, storages, then the network zones, each filtered by its audit privilege. */
function resources(ctx: RequestContext): unknown {
  const { type } = parseArgs(resourceArgs, ctx.args);
  const pools = new Map<string, PoolItem>();
  if (!type) {
    for (const poolid of [...ctx.lab.model.pools.keys()].sort())
      if (ctx.can(`/pool/${poolid}`, 'Pool.Audit')) pools.set(poolid, { id: `/pool/${poolid}`, pool: poolid, type: 'pool' });
  }
  // Guests are read first: their figures add up in the pool items that come before them.
  const guests = !type || type === 'vm' ? guestItems(ctx, pools) : [];
  return ([...pools.values()] as unknown[]).concat(
    guests,
    !type || type === 'node' ? nodeItems(ctx) : [],
    !type || type === 'storage' ? storageItems(ctx) : [],
    networkItems(ctx, type),
    ctx.lab.hostile.resources(),
  );
}

export const clusterResourceRoutes: Route[] = [{ method: 'GET', pattern: '/cluster/resources', handler: resources, params: resourceArgs }];
