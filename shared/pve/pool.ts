/** Schema of PVE's pool answers (pve-access-control PVE/API2/Pool.pm `index`), shared by the app and the lab's tests. */
import { z } from 'zod';

/** `GET /pools[?poolid=]`: the pools the user may audit; with `poolid`, that pool alone (its `members` are not read here). */
export const poolListData = z.array(z.object({ poolid: z.string(), comment: z.string().optional() }));
export type PoolEntry = z.infer<typeof poolListData>[number];
