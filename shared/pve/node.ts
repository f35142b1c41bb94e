/**
 * Schemas of PVE's answers about one node (pve-manager PVE/API2/Nodes.pm
 * `status`, pve-storage PVE/API2/Storage/Status.pm `index`), shared by the
 * app and the lab's tests.
 */
import { z } from 'zod';
import { pveBoolean, pveNumber } from './values';

const usedOfTotal = z.object({ used: pveNumber, total: pveNumber });

/** `GET /nodes/{node}/status`; `loadavg` comes as three strings (`["0.12","0.08","0.01"]`). */
export const nodeStatusData = z.object({
  uptime: pveNumber.optional(),
  cpu: pveNumber.optional(),
  loadavg: z.tuple([pveNumber, pveNumber, pveNumber]).optional(),
  cpuinfo: z.object({ model: z.string().optional(), cpus: pveNumber.optional() }).optional(),
  memory: usedOfTotal.optional(),
  swap: usedOfTotal.optional(),
  ksm: z.object({ shared: pveNumber }).optional(),
  /** `pve-manager/9.0.3/…`. */
  pveversion: z.string().optional(),
  /** `Linux 6.14.8-2-pve #1 SMP …`. */
  kversion: z.string().optional(),
});
export type NodeStatus = z.infer<typeof nodeStatusData>;

/** `GET /nodes/{node}/storage`: the storages the user may see on that node; `content` is a comma-separated list. */
export const nodeStorageData = z.array(
  z.object({
    storage: z.string(),
    type: z.string(),
    content: z.string().optional(),
    shared: pveBoolean.optional(),
    active: pveBoolean.optional(),
    enabled: pveBoolean.optional(),
    used: pveNumber.optional(),
    total: pveNumber.optional(),
    avail: pveNumber.optional(),
  }),
);
export type NodeStorageEntry = z.infer<typeof nodeStorageData>[number];
