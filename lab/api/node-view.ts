import { hostMemory, hostUptime } from '../cluster/host-status';
import type { LabNode } from '../cluster/model';
import type { ClusterServices } from '../cluster/services';
import type { RequestContext } from './context';
import { ApiError } from './errors';

/** The lab's fixed root file system of every node (`rootfs`, `disk`/`maxdisk`). */
export const NODE_ROOTFS = { total: 100 * 1024 ** 3, used: 30 * 1024 ** 3 };

/** The node at `/nodes/{node}`; PVE's proxy fails to resolve an unknown name with a 500. */
export function nodeAt(ctx: RequestContext): LabNode {
  const node = ctx.lab.model.node(ctx.param('node'));
  if (!node)
    throw new ApiError(500, `hostname lookup '${ctx.param('node')}' failed - failed to get address info for: ${ctx.param('node')}: Name or service not known`);
  return node;
}

/** Every node runs on this host: each reports an even share of the host's used memory (MemTotal − MemAvailable, as read_meminfo). */
export function nodeMemoryUsed(lab: ClusterServices): number {
  const memory = hostMemory();
  return Math.round((memory.memtotal - memory.memavailable) / lab.model.nodes.length);
}

/**
 * pve-manager PVE/API2Tools.pm `extract_node_stats`: an offline node's RRD
 * entry has expired (pmxcfs drops entries older than 5 minutes), so it is
 * only `offline`; without Sys.Audit the figures are left out.
 */
export function nodeResource(lab: ClusterServices, node: LabNode, canAudit: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = { id: `node/${node.name}`, node: node.name, type: 'node', status: 'offline' };
  if (lab.faults.isOffline(node.name)) return item;
  item.status = 'online';
  // pvestatd's subscription level: empty without a subscription.
  item.level = '';
  if (canAudit) {
    Object.assign(item, {
      uptime: hostUptime(),
      cpu: lab.stats.hostCpuFraction(),
      mem: nodeMemoryUsed(lab),
      disk: NODE_ROOTFS.used,
      maxcpu: node.maxcpu,
      maxmem: node.maxmem,
      maxdisk: NODE_ROOTFS.total,
    });
  }
  return item;
}
