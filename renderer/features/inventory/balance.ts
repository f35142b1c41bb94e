/**
 * Where there is room: what the guests of each node and each cluster ask for
 * (vCPUs and memory configured), what the running ones use, against what the
 * nodes have. Computed from the inventory's `/cluster/resources` entries
 * alone, so it follows every poll without asking the clusters anything.
 *
 * Templates are left out: they never run, so they hold no CPU or memory.
 * Capacity counts online nodes only: an offline node gives no room, though
 * the guests configured on it are still counted against its cluster.
 */
import type { InventoryItem } from '../../../shared/domain/inventory';
import type { InventoryEntry } from './inventory-store';

export interface BalanceFigures {
  running: number;
  /** Guests, templates left out. */
  guests: number;
  /** Sum of the guests' `maxcpu`. */
  vcpus: number;
  /** The nodes' CPUs (threads, as PVE counts them). */
  cpus: number;
  /** Sum of the guests' `maxmem`, bytes. */
  memoryConfigured: number;
  /** Sum of the running guests' `mem`, bytes. */
  memoryUsed: number;
  /** The nodes' memory, bytes. */
  memory: number;
}

export interface NodeBalance extends BalanceFigures {
  node: string;
  /** Undefined when the node itself is not listed (only its guests are). */
  online?: boolean;
}

export interface ClusterBalance extends BalanceFigures {
  profileId: string;
  nodes: NodeBalance[];
  offlineNodes: number;
}

/** One cluster's part of everything connected: of the capacity it brings and of the load it carries, each 0..1. */
export interface ClusterShare {
  profileId: string;
  capacity: { cpus: number; memory: number };
  load: { vcpus: number; memoryConfigured: number; memoryUsed: number; running: number };
}

const figureKeys = ['running', 'guests', 'vcpus', 'cpus', 'memoryConfigured', 'memoryUsed', 'memory'] as const satisfies readonly (keyof BalanceFigures)[];

function emptyFigures(): BalanceFigures {
  return { running: 0, guests: 0, vcpus: 0, cpus: 0, memoryConfigured: 0, memoryUsed: 0, memory: 0 };
}

/** A number PVE may leave out or send as garbage (the inventory keeps the item but not a wrong field): 0 then. */
function amount(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function isGuest(item: InventoryItem): boolean {
  return (item.type === 'qemu' || item.type === 'lxc') && item.template !== true;
}

function addGuest(figures: BalanceFigures, item: InventoryItem): void {
  const running = item.status === 'running';
  figures.guests += 1;
  figures.vcpus += amount(item.maxcpu);
  figures.memoryConfigured += amount(item.maxmem);
  if (running) {
    figures.running += 1;
    figures.memoryUsed += amount(item.mem);
  }
}

function addFigures(total: BalanceFigures, part: BalanceFigures): void {
  for (const key of figureKeys) total[key] += part[key];
}

/** One cluster's balance, per node (sorted by name) and in total. A guest whose node is not listed gets a row of its own. */
export function clusterBalance(profileId: string, entries: readonly InventoryEntry[]): ClusterBalance {
  const nodes = new Map<string, NodeBalance>();
  const nodeRow = (node: string): NodeBalance => {
    let row = nodes.get(node);
    if (row === undefined) {
      row = { node, ...emptyFigures() };
      nodes.set(node, row);
    }
    return row;
  };
  for (const { item } of entries) {
    if (item.type === 'node' && item.node !== undefined) {
      const row = nodeRow(item.node);
      row.online = item.status === 'online';
      row.cpus = row.online ? amount(item.maxcpu) : 0;
      row.memory = row.online ? amount(item.maxmem) : 0;
    } else if (isGuest(item) && item.node !== undefined) {
      addGuest(nodeRow(item.node), item);
    }
  }
  const rows = [...nodes.values()].sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
  const total: ClusterBalance = { profileId, nodes: rows, offlineNodes: rows.filter((row) => row.online === false).length, ...emptyFigures() };
  for (const row of rows) addFigures(total, row);
  return total;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** Each cluster's share of the capacity and of the load of all of them together. */
export function clusterShares(clusters: readonly ClusterBalance[]): ClusterShare[] {
  const all = emptyFigures();
  for (const cluster of clusters) addFigures(all, cluster);
  return clusters.map((cluster) => ({
    profileId: cluster.profileId,
    capacity: { cpus: share(cluster.cpus, all.cpus), memory: share(cluster.memory, all.memory) },
    load: {
      vcpus: share(cluster.vcpus, all.vcpus),
      memoryConfigured: share(cluster.memoryConfigured, all.memoryConfigured),
      memoryUsed: share(cluster.memoryUsed, all.memoryUsed),
      running: share(cluster.running, all.running),
    },
  }));
}
