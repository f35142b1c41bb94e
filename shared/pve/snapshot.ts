/** Schema of qemu-server's `GET /nodes/{node}/qemu/{vmid}/snapshot` (`snapshot_list`). */
import { z } from 'zod';
import { pveBoolean, pveNumber } from './values';

/** Every snapshot and the entry `current` ("You are here!"), child of the snapshot the guest runs from. */
export const snapshotListData = z.array(
  z.object({
    name: z.string(),
    description: z.string().optional(),
    snaptime: pveNumber.optional(),
    vmstate: pveBoolean.optional(),
    parent: z.string().optional(),
  }),
);
export type SnapshotEntry = z.infer<typeof snapshotListData>[number];
