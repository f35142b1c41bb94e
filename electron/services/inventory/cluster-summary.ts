import type { ClusterSummaryView } from '../../../shared/domain/inventory';
import type { InventoryClient } from './inventory-sessions';
import { cleanText } from './resource-items';

/** Quorum and node states from `/cluster/status` (Sys.Audit on `/`: a PERMISSION_DENIED otherwise, as any call). */
export async function readClusterSummary(client: InventoryClient, profileId: string): Promise<ClusterSummaryView> {
  const status = await client.getClusterStatus();
  return {
    profileId,
    ...(status.cluster !== undefined ? { clusterName: cleanText(status.cluster.name), quorate: status.cluster.quorate } : {}),
    nodes: status.nodes.map((node) => ({ name: cleanText(node.name), online: node.online, ...(node.ip !== undefined ? { ip: cleanText(node.ip) } : {}) })),
  };
}
