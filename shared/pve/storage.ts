/** Schemas of pve-storage's answers (PVE/API2/Storage/Content.pm `index`; pve-manager Network.pm `index`). */
import { z } from 'zod';
import { pveBoolean, pveInteger, pveNumber } from './values';

/** `GET /nodes/{node}/storage/{storage}/content`: one entry per volume. */
export const storageContentData = z.array(
  z.object({
    volid: z.string(),
    content: z.string(),
    format: z.string().optional(),
    size: pveNumber.optional(),
    vmid: pveInteger.optional(),
    ctime: pveNumber.optional(),
    notes: z.string().optional(),
    protected: pveBoolean.optional(),
  }),
);
export type StorageContentEntry = z.infer<typeof storageContentData>[number];

/** `GET /nodes/{node}/network`: the interfaces; only the name and type matter here. */
export const networkData = z.array(z.object({ iface: z.string(), type: z.string().optional(), active: pveBoolean.optional() }));
export type NetworkEntry = z.infer<typeof networkData>[number];
