import type { RouteLocationRaw } from 'vue-router';
import type { InventoryEntry } from './inventory-store';

/** Where opening an item leads: its summary (a storage opens its node's summary with the storage picked out). */
export function entryRoute({ profileId, item }: InventoryEntry): RouteLocationRaw | undefined {
  switch (item.type) {
    case 'qemu':
    case 'lxc':
      return typeof item.vmid === 'number' ? { name: 'inventory-guest', params: { profileId, vmid: String(item.vmid) } } : undefined;
    case 'node':
      return typeof item.node === 'string' ? { name: 'inventory-node', params: { profileId, node: item.node } } : undefined;
    case 'pool':
      return typeof item.pool === 'string' ? { name: 'inventory-pool', params: { profileId, pool: item.pool } } : undefined;
    case 'storage':
      return typeof item.node === 'string' && typeof item.storage === 'string'
        ? { name: 'inventory-storage', params: { profileId, node: item.node, storage: item.storage } }
        : undefined;
    default:
      return undefined;
  }
}

export function clusterRoute(profileId: string): RouteLocationRaw {
  return { name: 'inventory-cluster', params: { profileId } };
}
