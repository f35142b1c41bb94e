/** Schema of pve-ha-manager's `GET /cluster/ha/resources` (PVE/API2/HA/Resources.pm `index`). */
import { z } from 'zod';
import { pveInteger } from './values';

export const haResourceData = z.object({
  sid: z.string(),
  type: z.string().optional(),
  state: z.string().optional(),
  group: z.string().optional(),
  max_restart: pveInteger.optional(),
  max_relocate: pveInteger.optional(),
  comment: z.string().optional(),
  /** The digest of `ha/resources.cfg`, for a change that must not overwrite another. */
  digest: z.string().optional(),
});
export type HaResourceEntry = z.infer<typeof haResourceData>;
export const haResourceListData = z.array(haResourceData);
