import { z } from 'zod';
import type { JobView } from '../../domain/jobs';
import {
  powerActions,
  type ClusterFeed,
  type ClusterSummaryView,
  type GuestSummary,
  type InventoryDelta,
  type InventoryPage,
  type NodeSummaryView,
  type PoolSummaryView,
} from '../../domain/inventory';
import { profileIdSchema } from '../../domain/connections';
import { method, noInput } from './method';

/** PVE's `pve-node` format: a DNS label. */
export const nodeNameSchema = z
  .string()
  .max(63)
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'must be a node name');
/** PVE's `pve-vmid`. */
export const vmidSchema = z.number().int().min(100).max(999_999_999);

/** PVE's pool ids (pve-access-control `verify_poolname`). */
export const poolIdSchema = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9.\-_]+$/, 'must be a pool id');

const guestRef = z.object({ profileId: profileIdSchema, node: nodeNameSchema, vmid: vmidSchema }).strict();

/** Largest page of `inventory.items`: about 600 KB of JSON, under the web host's per-peer queue. */
export const maxInventoryPage = 2000;
/** Most guests one power request may name (a bulk action over a selection). */
export const maxPowerTargets = 500;

export const inventoryMethods = {
  /** The connected clusters and how fresh their data is. */
  'inventory.feeds': method<ClusterFeed[]>()(noInput),
  /** A page of a cluster's items at its current revision; `STALE` when `revision` is given and is no longer current. */
  'inventory.items': method<InventoryPage>()(
    z
      .object({
        profileId: profileIdSchema,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(maxInventoryPage).default(maxInventoryPage),
        revision: z.number().int().min(0).optional(),
      })
      .strict(),
  ),
  /** Whether a window shows the inventory and whether the user is active: main polls every 3 s when so, slower otherwise. */
  'inventory.activity': method<{ pollMs: number }>()(z.object({ visible: z.boolean(), idle: z.boolean() }).strict()),
  'inventory.guestSummary': method<GuestSummary>()(guestRef),
  'inventory.nodeSummary': method<NodeSummaryView>()(z.object({ profileId: profileIdSchema, node: nodeNameSchema }).strict()),
  'inventory.clusterSummary': method<ClusterSummaryView>()(z.object({ profileId: profileIdSchema }).strict()),
  /** A pool's comment (its members are the items whose `pool` names it). */
  'inventory.poolSummary': method<PoolSummaryView>()(z.object({ profileId: profileIdSchema, pool: poolIdSchema }).strict()),
  /**
   * One power action on one or more guests: one job per guest (a followed PVE task), returned in the order asked.
   * `timeout` (seconds) is shutdown's: past it the task fails and the renderer offers a stop.
   */
  'inventory.power': method<JobView[]>()(
    z
      .object({
        action: z.enum(powerActions),
        targets: z.array(guestRef).min(1).max(maxPowerTargets),
        timeout: z.number().int().min(1).max(3600).optional(),
      })
      .strict(),
  ),
} as const;

export interface InventoryEvents {
  /** What changed in one cluster (or that it must be read again); also sent when only its freshness changed. */
  'inventory.changed': InventoryDelta;
  /** A cluster's feed ended (disconnected, profile deleted): drop its items. */
  'inventory.closed': { profileId: string };
}
export const inventoryEventNames = ['inventory.changed', 'inventory.closed'] as const satisfies readonly (keyof InventoryEvents)[];
