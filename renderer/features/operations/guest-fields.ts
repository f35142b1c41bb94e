import { guestNameSchema } from '../../../shared/ipc/contract/operations';
import type { InventoryStore } from './inventory-lookups';

/** The VMIDs PVE accepts (pve-common's `pve-vmid`). */
export const vmidRange = { min: 100, max: 999_999_999 } as const;

/** Why a new guest's VMID cannot be used, as a message key under `operations.create.problems`; undefined when it can. */
export function vmidProblem(vmid: number | null, profileId: string, inventory: InventoryStore): 'vmidRange' | 'vmidTaken' | undefined {
  if (vmid === null || !Number.isInteger(vmid) || vmid < vmidRange.min || vmid > vmidRange.max) return 'vmidRange';
  const taken = inventory.entry(profileId, `qemu/${vmid}`) ?? inventory.entry(profileId, `lxc/${vmid}`);
  return taken === undefined ? undefined : 'vmidTaken';
}

/** Why a name is not a guest name as qemu-server takes it (a DNS name), as a message key; undefined when it is. */
export function nameProblem(name: string): 'nameRequired' | 'nameInvalid' | undefined {
  if (name.trim() === '') return 'nameRequired';
  return guestNameSchema.safeParse(name).success ? undefined : 'nameInvalid';
}
