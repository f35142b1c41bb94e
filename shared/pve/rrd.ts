/** Schema of `GET /nodes/{node}/rrddata` and `GET /nodes/{node}/qemu/{vmid}/rrddata` (pve-manager/qemu-server, PVE::RRD). */
import { z } from 'zod';

/** One row per step: `time` and whatever metrics the RRD had then; a gap is an absent key (or, from some versions, a string such as "NaN"). */
export const rrdData = z.array(z.record(z.string(), z.union([z.number(), z.string(), z.null()])));
export type RrdRow = z.infer<typeof rrdData>[number];
