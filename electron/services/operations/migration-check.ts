import type { MigrationCheck } from '../../../shared/domain/operations';
import type { ClusterResource, MigrationPrecondition } from '../pve';

/** A node as the migration dialog and the evacuation plan weigh it. */
export interface NodeCapacity {
  node: string;
  online: boolean;
  /** Bytes. */
  freeMemory?: number;
}

export function nodeCapacities(resources: readonly ClusterResource[]): NodeCapacity[] {
  return resources
    .filter((resource) => resource.type === 'node' && resource.node !== undefined)
    .map((resource) => ({
      node: resource.node ?? '',
      online: resource.status === 'online',
      ...(resource.maxmem !== undefined ? { freeMemory: Math.max(0, resource.maxmem - (resource.mem ?? 0)) } : {}),
    }))
    .sort((a, b) => a.node.localeCompare(b.node));
}

/** Why PVE would refuse each node: the precondition's reasons, and an offline node (which the precondition does not check). */
export function refusals(precondition: MigrationPrecondition, node: NodeCapacity): string[] {
  return [...(node.online ? [] : ['offline']), ...(precondition.refusedNodes[node.node] ?? [])];
}

/** `GET .../migrate` and the nodes' memory as the migrate dialog shows them; the guest's own node left out. */
export function migrationCheck(precondition: MigrationPrecondition, nodes: readonly NodeCapacity[], source: string): MigrationCheck {
  return {
    running: precondition.running,
    targets: nodes
      .filter((node) => node.node !== source)
      .map((node) => {
        const reasons = refusals(precondition, node);
        return {
          node: node.node,
          online: node.online,
          allowed: reasons.length === 0,
          reasons,
          ...(node.freeMemory !== undefined ? { freeMemory: node.freeMemory } : {}),
        };
      }),
    localDisks: precondition.localDisks.map((disk) => ({
      volid: disk.volid,
      cdrom: disk.cdrom ?? false,
      ...(disk.drivename !== undefined ? { drive: disk.drivename } : {}),
      ...(disk.size !== undefined ? { size: disk.size } : {}),
    })),
    localResources: [...precondition.localResources, ...precondition.localCdroms.map((volid) => `${volid} (local CD image)`)],
  };
}
