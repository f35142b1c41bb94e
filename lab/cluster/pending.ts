/**
 * A guest config's `[PENDING]` section as qemu-server keeps it: changes that
 * wait for the next start of a running guest. The lab stores the section as
 * PVE writes it (keys with their new values, plus `delete` listing the keys to
 * remove, a `!` before a forced removal), so the digest covers it too.
 * Sources: pve-guest-common `PVE/AbstractConfig.pm` (`parse_pending_delete`,
 * `add_to_pending_delete`, `remove_from_pending_delete`, `cleanup_pending`,
 * `load_current_config`), `PVE/GuestHelpers.pm` (`config_with_pending_array`).
 */
import type { GuestConfig } from '../contracts';
import { DISK_KEY, UNUSED_KEY, isCdrom, nextFreeKey, parseDrive } from './guest-config';
import type { LabGuest } from './model';
import { parseVolid } from './storage';

/** The keys a pending `delete` names, each with its `force` flag (`!key`). */
export function pendingDeletes(pending: GuestConfig | undefined): Map<string, boolean> {
  const deletes = new Map<string, boolean>();
  for (const item of (pending?.delete ?? '').split(/[,;\s\0]+/)) {
    if (!item) continue;
    const force = item.startsWith('!');
    deletes.set(force ? item.slice(1) : item, force);
  }
  return deletes;
}

function writeDeletes(pending: GuestConfig, deletes: Map<string, boolean>): void {
  if (deletes.size === 0) {
    delete pending.delete;
    return;
  }
  pending.delete = [...deletes.keys()]
    .sort()
    .map((key) => (deletes.get(key) ? `!${key}` : key))
    .join(',');
}

export function addPendingDelete(pending: GuestConfig, key: string, force: boolean): void {
  const deletes = pendingDeletes(pending);
  deletes.set(key, force);
  writeDeletes(pending, deletes);
}

export function removePendingDelete(pending: GuestConfig, key: string): void {
  const deletes = pendingDeletes(pending);
  if (deletes.delete(key)) writeDeletes(pending, deletes);
}

/** Drops pending values equal to the current ones and deletes of keys the config no longer has (`cleanup_pending`). */
export function cleanupPending(config: GuestConfig, pending: GuestConfig): void {
  for (const [key, value] of Object.entries(pending)) {
    if (key !== 'delete' && config[key] === value) Reflect.deleteProperty(pending, key);
  }
  const deletes = pendingDeletes(pending);
  for (const key of deletes.keys()) if (config[key] === undefined) deletes.delete(key);
  writeDeletes(pending, deletes);
}

/** `load_current_config`: with `current` the config as it runs, else with the pending values and deletes applied. */
export function effectiveConfig(config: GuestConfig, pending: GuestConfig | undefined, current: boolean): GuestConfig {
  const result = { ...config };
  if (current || !pending) return result;
  for (const [key, value] of Object.entries(pending)) if (key !== 'delete') result[key] = value;
  for (const key of pendingDeletes(pending).keys()) Reflect.deleteProperty(result, key);
  return result;
}

export interface PendingItem {
  key: string;
  value?: string;
  pending?: string;
  /** 1 = a pending removal, 2 = a forced one. */
  delete?: 1 | 2;
}

/** `config_with_pending_array`: every current key with its pending value or delete, then keys only pending. */
export function configWithPending(config: GuestConfig, pending: GuestConfig | undefined): PendingItem[] {
  const waiting = { ...pending };
  const deletes = pendingDeletes(pending);
  delete waiting.delete;
  const items: PendingItem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const item: PendingItem = { key, value };
    if (waiting[key] !== undefined) item.pending = waiting[key];
    Reflect.deleteProperty(waiting, key);
    const force = deletes.get(key);
    if (force !== undefined) item.delete = force ? 2 : 1;
    deletes.delete(key);
    items.push(item);
  }
  for (const [key, value] of Object.entries(waiting)) items.push({ key, pending: value });
  for (const [key, force] of deletes) items.push({ key, delete: force ? 2 : 1 });
  return items;
}

/**
 * qemu-server's `$fast_plug_option`: keys that change nothing in the running
 * QEMU, applied at once even on a running guest (cloud-init keys too).
 */
export const FAST_PLUG_KEYS = new Set([
  ...['description', 'hookscript', 'lock', 'migrate_downtime', 'migrate_speed', 'name', 'onboot', 'protection', 'shares', 'startup'],
  ...['tags', 'vmstatestorage', 'ciuser', 'cipassword', 'citype', 'sshkeys', 'nameserver', 'searchdomain'],
  ...Array.from({ length: 32 }, (_, i) => `ipconfig${i}`),
]);

/** `vmconfig_register_unused_drive`: a detached disk's volume becomes the first free `unusedN` (a CD drive's never). */
export function registerUnused(config: GuestConfig, driveValue: string | undefined): void {
  if (!driveValue || isCdrom(driveValue)) return;
  const volume = parseDrive(driveValue).volume;
  if (!parseVolid(volume)) return;
  if (Object.entries(config).some(([key, value]) => UNUSED_KEY.test(key) && value === volume)) return;
  config[nextFreeKey(config, 'unused')] = volume;
}

/** `write_vm_config`: an `unusedN` whose volume a drive uses again (in the config or its pending section) is dropped. */
export function dropReattachedUnused(config: GuestConfig, pending: GuestConfig | undefined): void {
  const drives = [...Object.entries(config), ...Object.entries(pending ?? {})].filter(([key]) => DISK_KEY.test(key));
  const used = new Set(drives.map(([, value]) => parseDrive(value).volume));
  for (const [key, value] of Object.entries(config)) if (UNUSED_KEY.test(key) && used.has(value)) Reflect.deleteProperty(config, key);
}

/**
 * `vmconfig_apply_pending` (a stopped guest, or one about to start): removals first (a disk becomes unusedN, or is
 * freed with a forced delete), then the new values (a replaced disk's volume becomes unusedN).
 */
export function applyPending(guest: LabGuest, freeVolume: (volid: string) => void): void {
  const pending = guest.pending;
  delete guest.pending;
  if (!pending) return;
  const config = guest.config;
  for (const [key, force] of [...pendingDeletes(pending)].sort(([a], [b]) => a.localeCompare(b))) {
    const value = config[key];
    if (value === undefined || UNUSED_KEY.test(key)) continue;
    if (DISK_KEY.test(key)) {
      if (force && !isCdrom(value) && parseVolid(parseDrive(value).volume)) freeVolume(parseDrive(value).volume);
      else registerUnused(config, value);
    }
    Reflect.deleteProperty(config, key);
  }
  for (const [key, value] of Object.entries(pending)) {
    if (key === 'delete') continue;
    const old = config[key];
    if (old !== undefined && DISK_KEY.test(key) && parseDrive(old).volume !== parseDrive(value).volume) registerUnused(config, old);
    config[key] = value;
  }
}
