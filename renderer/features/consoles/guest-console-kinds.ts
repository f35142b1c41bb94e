import { reactive } from 'vue';
import type { PendingEntry } from '../../../shared/domain/operations';
import type { IpcClient } from '../../../shared/ipc/client';

/** Which consoles a QEMU guest has besides VNC, from its config (the inventory's list does not say). */
export interface GuestConsoleKinds {
  /** `vga` is qxl or virtio: PVE's `spice` flag in `status/current`. */
  spice: boolean;
  /** `serial0` is set: a serial terminal through termproxy. */
  serial: boolean;
}

/** What the config's `vga` and `serial0` say, pending changes left out: the console serves the running config. */
export function consoleKindsOfConfig(entries: PendingEntry[]): GuestConsoleKinds {
  const value = (key: string) => entries.find((entry) => entry.key === key)?.value;
  const vgaType = String(value('vga') ?? '').split(',')[0] ?? '';
  return { spice: /^(qxl[234]?|virtio(-gl)?)$/.test(vgaType), serial: value('serial0') !== undefined };
}

// A config read more recently than this is not read again for a menu.
const freshForMs = 60_000;

/**
 * Guests' console kinds read in the background when a menu or header first asks, then kept for a minute;
 * reactive, so the actions appear once known. A guest whose config cannot be read (no VM.Audit) keeps the defaults.
 */
export function createGuestConsoleKinds(ipc: IpcClient) {
  const known = reactive(new Map<string, GuestConsoleKinds>());
  const readAt = new Map<string, number>();

  function refresh(key: string, guest: { profileId: string; node: string; vmid: number }): void {
    const last = readAt.get(key);
    if (last !== undefined && Date.now() - last < freshForMs) return;
    readAt.set(key, Date.now());
    ipc.call('operations.config', guest).then(
      (config) => known.set(key, consoleKindsOfConfig(config.entries)),
      () => undefined,
    );
  }

  /** The kinds known for this guest (undefined until its config was read), starting a read when stale. */
  function of(key: string, guest: { profileId: string; node: string; vmid: number }): GuestConsoleKinds | undefined {
    refresh(key, guest);
    return known.get(key);
  }

  return { of };
}
