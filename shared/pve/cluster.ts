/**
 * Schemas of PVE's cluster and node answers, shared by the app (which parses
 * them) and the lab's tests (which check the lab's answers against them).
 */
import { z } from 'zod';
import { pveBoolean, pveInteger, pveNumber, pveTags } from './values';

/** Load and size as PVE reports them for guests, nodes and storages alike; `cpu` is a fraction of `maxcpu`, 0..1. */
const usageFields = {
  cpu: pveNumber.optional(),
  maxcpu: pveNumber.optional(),
  mem: pveNumber.optional(),
  maxmem: pveNumber.optional(),
  disk: pveNumber.optional(),
  maxdisk: pveNumber.optional(),
};

const resourceData = z.object({
  /** `qemu/100`, `lxc/101`, `node/pve1`, `storage/pve1/local`, `sdn/pve1/localnetwork`. */
  id: z.string(),
  /** `qemu`, `lxc`, `node`, `storage`, `sdn`, `pool`… kept open for types newer PVE versions add. */
  type: z.string(),
  node: z.string().optional(),
  vmid: pveInteger.optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  ...usageFields,
  netin: pveNumber.optional(),
  netout: pveNumber.optional(),
  diskread: pveNumber.optional(),
  diskwrite: pveNumber.optional(),
  uptime: pveNumber.optional(),
  template: pveBoolean.optional(),
  tags: pveTags.optional(),
  pool: z.string().optional(),
  hastate: z.string().optional(),
  lock: z.string().optional(),
  storage: z.string().optional(),
  plugintype: z.string().optional(),
  content: z.string().optional(),
  shared: pveBoolean.optional(),
  level: z.string().optional(),
});
export type ClusterResource = z.infer<typeof resourceData>;
/** `GET /cluster/resources`. */
export const clusterResourcesData = z.array(resourceData);
export type ClusterResourceFilter = 'vm' | 'storage' | 'node' | 'sdn';

const clusterEntry = z.object({
  type: z.literal('cluster'),
  id: z.string().optional(),
  name: z.string(),
  quorate: pveBoolean.optional(),
  nodes: pveInteger.optional(),
  version: pveInteger.optional(),
});
const nodeEntry = z.object({
  type: z.literal('node'),
  id: z.string().optional(),
  name: z.string(),
  online: pveBoolean.optional(),
  ip: z.string().optional(),
  /** Set on the node that answered the request. */
  local: pveBoolean.optional(),
  nodeid: pveInteger.optional(),
  level: z.string().optional(),
});

export interface ClusterStatus {
  /** Absent on a stand-alone node that is not part of a cluster. */
  cluster?: { name: string; quorate: boolean; nodes?: number; version?: number };
  nodes: { name: string; online: boolean; ip?: string; local: boolean; nodeid?: number }[];
}

function isKnownStatusEntry(entry: unknown): boolean {
  const type = (entry as { type?: unknown } | null)?.type;
  return type === 'cluster' || type === 'node';
}

/** `GET /cluster/status`, as the entries the app uses. */
export const clusterStatusData = z
  // Entries of other types (newer PVE versions may add some) are left out before checking.
  .preprocess(
    (entries) => (Array.isArray(entries) ? entries.filter(isKnownStatusEntry) : entries),
    z.array(z.discriminatedUnion('type', [clusterEntry, nodeEntry])),
  )
  .transform((entries): ClusterStatus => {
    const status: ClusterStatus = { nodes: [] };
    for (const entry of entries) {
      if (entry.type === 'cluster') {
        status.cluster = { name: entry.name, quorate: entry.quorate ?? false, nodes: entry.nodes, version: entry.version };
      } else {
        status.nodes.push({ name: entry.name, online: entry.online ?? false, ip: entry.ip, local: entry.local ?? false, nodeid: entry.nodeid });
      }
    }
    return status;
  });

const nodeData = z.object({
  node: z.string(),
  /** `online`, `offline` or `unknown`. */
  status: z.string(),
  ...usageFields,
  uptime: pveNumber.optional(),
  level: z.string().optional(),
  /** The node's API certificate fingerprint: lets the app offer pins for the other nodes of a trusted cluster. */
  ssl_fingerprint: z.string().optional(),
});
export type NodeSummary = z.infer<typeof nodeData>;
/** `GET /nodes`. */
export const nodesData = z.array(nodeData);
