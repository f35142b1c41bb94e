import type { NodeStorage, NodeSummaryView } from '../../../shared/domain/inventory';
import type { NodeStorageEntry } from '../pve';
import type { InventoryClient } from './inventory-sessions';
import { cleanText } from './resource-items';

function storageOf(entry: NodeStorageEntry): NodeStorage {
  return {
    storage: cleanText(entry.storage),
    type: cleanText(entry.type),
    content: (entry.content ?? '')
      .split(',')
      .filter((kind) => kind.length > 0)
      .map((kind) => cleanText(kind, 32)),
    shared: entry.shared ?? false,
    active: entry.active ?? false,
    enabled: entry.enabled ?? true,
    ...(entry.used !== undefined ? { used: entry.used } : {}),
    ...(entry.total !== undefined ? { total: entry.total } : {}),
    ...(entry.avail !== undefined ? { avail: entry.avail } : {}),
  };
}

/** A node's status and its storages; `status` is the one the cluster's resources give (the node itself only answers when online). */
export async function readNodeSummary(client: InventoryClient, profileId: string, node: string, status: string | undefined): Promise<NodeSummaryView> {
  const [facts, storages] = await Promise.all([client.getNodeStatus(node), client.getNodeStorage(node)]);
  const { uptime, cpu, loadavg, cpuinfo, memory, swap, ksm, pveversion, kversion } = facts;
  return {
    profileId,
    node,
    status: cleanText(status ?? 'online'),
    storages: storages.map(storageOf).sort((a, b) => a.storage.localeCompare(b.storage)),
    ...(uptime !== undefined ? { uptime } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(cpuinfo?.cpus !== undefined ? { cpus: cpuinfo.cpus } : {}),
    ...(cpuinfo?.model !== undefined ? { cpuModel: cleanText(cpuinfo.model) } : {}),
    ...(loadavg !== undefined ? { loadavg } : {}),
    ...(memory !== undefined ? { memory: { used: memory.used, total: memory.total } } : {}),
    ...(swap !== undefined ? { swap: { used: swap.used, total: swap.total } } : {}),
    ...(ksm !== undefined ? { ksmShared: ksm.shared } : {}),
    ...(pveversion !== undefined ? { pveVersion: cleanText(pveversion) } : {}),
    ...(kversion !== undefined ? { kernel: cleanText(kversion) } : {}),
  };
}
