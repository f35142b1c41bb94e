/**
 * A guest config's drive values (`sata0: local:100/vm-100-disk-0.qcow2,cache=writeback,size=32G`)
 * as qemu-server's PVE/QemuServer/Drive.pm defines them: the volume, then options
 * in their order; which options each bus takes; and the boot order's devices.
 */
import { parsePropertyString } from '../../../../shared/pve/guest-config';
import type { GuestConfig } from '../../pve';

export interface DriveValue {
  volume: string;
  /** The options after the volume, in the order the config has them. */
  options: [string, string][];
}

export function parseDriveValue(text: string): DriveValue {
  const { file = '', ...options } = parsePropertyString(text, 'file');
  return { volume: file, options: Object.entries(options) };
}

export function printDriveValue(drive: DriveValue): string {
  return [drive.volume, ...drive.options.map(([name, value]) => `${name}=${value}`)].join(',');
}

export function driveOption(drive: DriveValue, name: string): string | undefined {
  return drive.options.find(([option]) => option === name)?.[1];
}

/**
 * The options only some buses take (Drive.pm: `$ide_fmt`, `$sata_fmt`, `$scsi_fmt`, `$virtio_fmt` add these to
 * `%drivedesc_base`, which every bus takes). `ssd` and `wwn` of a SATA disk have no place on virtio-blk.
 */
const busOnlyOptions: Record<string, readonly string[]> = {
  ide: ['model', 'ssd', 'wwn'],
  sata: ['ssd', 'wwn'],
  scsi: ['iothread', 'product', 'queues', 'ro', 'scsiblock', 'ssd', 'vendor', 'wwn'],
  virtio: ['iothread', 'ro'],
};
const someBusesOnly = new Set(Object.values(busOnlyOptions).flat());

/** Whether the target bus's drive schema has this option. */
export function optionValidOn(bus: string, option: string): boolean {
  return !someBusesOnly.has(option) || (busOnlyOptions[bus] ?? []).includes(option);
}

export function busOf(key: string): string {
  return /^[a-z]+/.exec(key)?.[0] ?? '';
}

/** Drive keys as qemu-server names them, with their bus's highest index (`$MAX_*_DISKS`). */
const driveKey = /^(?:ide[0-3]|sata[0-5]|scsi(?:[12]?\d|30)|virtio(?:1[0-5]|\d))$/;
const busSizes: Record<string, number> = { ide: 4, sata: 6, scsi: 31, virtio: 16 };

export function isDriveKey(key: string): boolean {
  return driveKey.test(key);
}

export function isCdrom(value: string): boolean {
  const drive = parseDriveValue(value);
  return driveOption(drive, 'media') === 'cdrom' || drive.volume === 'cdrom';
}

/** The drives of a config that are disks (CD-ROMs left out), as key → parsed value. */
export function diskDrives(config: GuestConfig): [string, DriveValue][] {
  return Object.entries(config)
    .filter(([key, value]) => isDriveKey(key) && typeof value === 'string' && !isCdrom(value))
    .map(([key, value]) => [key, parseDriveValue(String(value))]);
}

/** The lowest free `<bus>N`, as PVE's Add Hard Disk dialog proposes it; undefined when the bus is full. */
export function firstFreeKey(config: GuestConfig, bus: string): string | undefined {
  for (let index = 0; index < (busSizes[bus] ?? 0); index++) if (config[`${bus}${index}`] === undefined) return `${bus}${index}`;
  return undefined;
}

/** `boot: order=sata0;ide2;net0` as its devices; undefined for the legacy form (`boot: cdn` with `bootdisk`) or none. */
export function bootOrder(config: GuestConfig): string[] | undefined {
  const boot = config.boot;
  if (boot === undefined) return undefined;
  const order = parsePropertyString(String(boot), 'legacy').order;
  return order === undefined ? undefined : order.split(';').filter((key) => key.length > 0);
}

/** The disk the firmware boots: the first disk in the boot order (qemu-server `get_bootdisks`), or the legacy `bootdisk`. */
export function bootDiskKey(config: GuestConfig): string | undefined {
  const order = bootOrder(config);
  const candidates = order ?? (config.bootdisk !== undefined ? [String(config.bootdisk)] : []);
  return candidates.find((key) => isDriveKey(key) && typeof config[key] === 'string' && !isCdrom(String(config[key])));
}
