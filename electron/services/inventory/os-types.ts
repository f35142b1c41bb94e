import type { ClusterResource } from '../../../shared/pve/cluster';
import { isPveError, type PveClient } from '../pve';
import type { GuestFactSource, GuestFactTuning } from './background-guest-facts';
import { cleanText } from './resource-items';

/**
 * A guest's OS type is set once and seldom changed: read when not known,
 * again after 15 minutes, 100 guests a poll at most, so a 10 000-guest
 * cluster is covered in a few minutes without weighing on its API.
 */
export const defaultOsTypeTuning: GuestFactTuning = {
  roundMs: 0,
  maxPerRound: 100,
  concurrency: 4,
  coolDownMs: 15 * 60_000,
  retryMs: 60_000,
  refreshMs: 15 * 60_000,
  callTimeoutMs: 10_000,
};

/** PVE's OS types (`l26`, `win2k22`, `solaris`) are a few letters; a longer one is a server's invention. */
export const maxOsTypeLength = 32;

type QemuGuest = ClusterResource & { node: string; vmid: number };

function isQemuGuest(item: ClusterResource): item is QemuGuest {
  return item.type === 'qemu' && item.node !== undefined && item.vmid !== undefined;
}

/**
 * No right to read the config (403), or the config is gone (the guest was
 * deleted or moved between the poll and the call: PVE answers 500 "does not
 * exist").
 */
function isConfigUnreadable(error: unknown): boolean {
  if (isPveError(error, 'PERMISSION_DENIED')) return true;
  return isPveError(error, 'SERVER_ERROR') && /does not exist/i.test(error.details.serverMessage);
}

/**
 * PVE's `ostype` of QEMU guests, from each guest's config since
 * `/cluster/resources` does not carry it; the tree groups by it and the list
 * shows it. Containers would need the client's LXC config call, which it does
 * not have yet.
 */
export function osTypeSource(client: () => Pick<PveClient, 'getGuestConfig'>): GuestFactSource<QemuGuest, string> {
  return {
    name: 'ostype',
    qualifies: isQemuGuest,
    async read(guest, limits) {
      const { ostype } = await client().getGuestConfig(guest.node, guest.vmid, limits);
      const shown = ostype === undefined ? '' : cleanText(String(ostype), maxOsTypeLength).trim();
      return shown === '' ? undefined : shown;
    },
    isUnreadable: isConfigUnreadable,
  };
}
