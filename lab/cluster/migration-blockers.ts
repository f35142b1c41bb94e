/**
 * What ties a guest to its node, as qemu-server sees it before a
 * migration: the volumes of its config and snapshots with their attributes
 * (PVE/QemuServer.pm `foreach_volid`) and the devices that block moving it
 * (PVE/QemuMigrate/Helpers.pm `check_local_resources`).
 */
import type { GuestConfig } from '../contracts';
import type { GuestSnapshot } from './model';
import { DISK_KEY, UNUSED_KEY, isCdrom, parseDrive, parseSize } from './guest-config';

/** One volume as foreach_volid describes it (the fields `GET …/migrate` lists in `local_disks`). */
export interface GuestVolume {
  volid: string;
  drivename?: string;
  size?: number;
  cdrom: 0 | 1;
  is_cloudinit: 0 | 1;
  replicate: 0 | 1;
  shared: 0 | 1;
  is_unused: 0 | 1;
  is_attached: 0 | 1;
  is_vmstate: 0 | 1;
  is_tpmstate: 0 | 1;
  referenced_in_snapshot?: Record<string, 1>;
}

/** Every volume the config and its snapshots reference (unused ones and `vmstate` included), merged per volid. */
export function guestVolumes(config: GuestConfig, snapshots: GuestSnapshot[]): GuestVolume[] {
  const volumes = new Map<string, GuestVolume>();
  const visit = (key: string, value: string, snapname?: string): void => {
    if (!(DISK_KEY.test(key) || UNUSED_KEY.test(key) || key === 'vmstate')) return;
    const { volume: volid, options } = parseDrive(value);
    if (!volid) return;
    const cdrom = isCdrom(value);
    const unused = UNUSED_KEY.test(key);
    const seen = volumes.get(volid);
    const entry: GuestVolume = seen ?? {
      volid,
      cdrom: 1,
      is_cloudinit: 0,
      replicate: 0,
      shared: 0,
      is_unused: 0,
      is_attached: 0,
      is_vmstate: 0,
      is_tpmstate: 0,
    };
    if (!cdrom) entry.cdrom = 0;
    if (/vm-\d+-cloudinit/.test(volid)) entry.is_cloudinit = 1;
    if (options.get('replicate') !== '0') entry.replicate = 1;
    if (options.get('shared') === '1') entry.shared = 1;
    if (unused) entry.is_unused = 1;
    if (!entry.is_unused && snapname === undefined) entry.is_attached = 1;
    if (snapname !== undefined) entry.referenced_in_snapshot = { ...entry.referenced_in_snapshot, [snapname]: 1 };
    const size = options.get('size');
    if (size && entry.size === undefined) entry.size = parseSize(size);
    if (key === 'vmstate') entry.is_vmstate = 1;
    if (key === 'tpmstate0') entry.is_tpmstate = 1;
    if (DISK_KEY.test(key)) entry.drivename = key;
    volumes.set(volid, entry);
  };
  for (const [key, value] of Object.entries(config)) visit(key, value);
  for (const snapshot of snapshots) for (const [key, value] of Object.entries(snapshot.config)) visit(key, value, snapshot.name);
  return [...volumes.values()];
}

/**
 * `check_local_resources` with `check_non_migratable_resources`: host
 * devices, serial ports other than `socket` (recreated on the target),
 * USB other than SPICE redirection, and for a running guest what cannot be
 * live-migrated. The lab has no resource mappings, so nothing is "mapped".
 */
export function localResources(config: GuestConfig, running: boolean): string[] {
  const found: string[] = [];
  if (running) for (const key of ['amd-sev', 'intel-tdx']) if (config[key]) found.push(key);
  if (running && Object.keys(config).some((key) => /^virtiofs\d+$/.test(key))) found.push('virtiofs');
  for (const key of ['hostusb', 'hostpci', 'ivshmem']) if (config[key]) found.push(key);
  for (const [key, value] of Object.entries(config)) {
    if (/^usb\d+$/.test(key) && /^(host=)?spice(,|$)/i.test(value)) continue;
    if (/^serial\d+$/.test(key) && value === 'socket') continue;
    if (/^(usb|hostpci|serial|parallel|virtiofs)\d+$/.test(key)) found.push(key);
  }
  return found;
}

/**
 * The VNC clipboard (QEMU's qemu-vdagent) cannot be live-migrated before
 * machine version 10.1; the lab's guests report 9.2, so a running guest
 * with `clipboard=vnc` is pinned (qemu-server API2/Qemu.pm
 * `migrate_vm_precondition` adds it to `local_resources`).
 */
export function pinnedByVncClipboard(config: GuestConfig, running: boolean): boolean {
  return running && /(^|,)clipboard=vnc(,|$)/.test(config.vga ?? '');
}
