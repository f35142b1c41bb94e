/** Schema of qemu-server's `GET /nodes/{node}/qemu/{vmid}/pending` (`vm_pending`, pve-guest-common `config_with_pending_array`). */
import { z } from 'zod';
import { pveInteger } from './values';

const configValue = z.union([z.string(), z.number()]);

/**
 * One key: `value` runs now, `pending` applies at the next start, `delete`
 * 1 or 2 (forced) when the key is to go. The config's `digest` comes as a
 * key of its own.
 */
export const pendingData = z.array(
  z.object({
    key: z.string(),
    value: configValue.optional(),
    pending: configValue.optional(),
    delete: pveInteger.optional(),
  }),
);
export type PendingAnswer = z.infer<typeof pendingData>;

/** The UPID of a task a call started, or null when PVE did the work at once (a config change within `background_delay`, a volume removed in place). */
export const maybeUpidData = z.string().min(1).nullable();
