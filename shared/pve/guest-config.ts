/**
 * Reading a QEMU guest's config (`GET /nodes/{node}/qemu/{vmid}/config`):
 * its disks and NICs out of PVE's property strings, and its memory settings,
 * as qemu-server's PVE/QemuServer/Drive.pm, PVE/QemuServer.pm (`net`) and
 * PVE/QemuServer/Memory.pm define them.
 */
import type { GuestDisk, GuestNic } from '../domain/inventory';
import type { GuestConfig } from './guest';

/** Splits `local:100/vm-100-disk-0.qcow2,size=32G` into its keys; the part without `=` belongs to `defaultKey`. */
export function parsePropertyString(text: string, defaultKey?: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.length === 0) continue;
    const equals = part.indexOf('=');
    if (equals < 0) {
      if (defaultKey !== undefined && properties[defaultKey] === undefined) properties[defaultKey] = part;
      continue;
    }
    properties[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return properties;
}

const sizeUnits: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** PVE's disk sizes (`32G`, `512M`, `4194304`; pve-common's `parse_size`) in bytes; undefined when not a size. */
export function parseDiskSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  return Math.round(Number(match[1]) * (sizeUnits[match[2] ?? ''] ?? 1));
}

/** The drive buses and the special disks; `unusedN` volumes are detached and left out. */
const diskKey = /^(?:ide\d|sata\d|scsi\d{1,2}|virtio\d{1,2}|efidisk0|tpmstate0)$/;
const netKey = /^net\d{1,2}$/;

/** Order of PVE's own listing: by bus, then by number (`scsi2` before `scsi10`). */
function byBusAndNumber(a: string, b: string): number {
  const [, busA = '', numberA = '0'] = /^([a-z]+)(\d*)$/.exec(a) ?? [];
  const [, busB = '', numberB = '0'] = /^([a-z]+)(\d*)$/.exec(b) ?? [];
  return busA.localeCompare(busB) || Number(numberA) - Number(numberB);
}

function stringEntries(config: GuestConfig, key: RegExp): [string, string][] {
  return Object.entries(config)
    .filter((entry): entry is [string, string] => key.test(entry[0]) && typeof entry[1] === 'string')
    .sort(([a], [b]) => byBusAndNumber(a, b));
}

export function guestDisks(config: GuestConfig): GuestDisk[] {
  return stringEntries(config, diskKey).map(([key, value]) => {
    const properties = parsePropertyString(value, 'file');
    const volume = properties.file ?? '';
    const size = properties.size !== undefined ? parseDiskSize(properties.size) : undefined;
    // `cdrom` alone is the host's physical drive, a CD all the same.
    const media = properties.media === 'cdrom' || volume === 'cdrom' ? 'cdrom' : 'disk';
    return { key, volume, media, ...(size !== undefined ? { size } : {}) };
  });
}

/** The options of a `netN` string; any other key is the model, its value the MAC (`virtio=BC:24:11:…`). */
const nicOptions = new Set(['bridge', 'firewall', 'tag', 'trunks', 'rate', 'queues', 'mtu', 'link_down', 'macaddr', 'model']);

export function guestNics(config: GuestConfig): GuestNic[] {
  return stringEntries(config, netKey).map(([key, value]) => {
    const properties = parsePropertyString(value);
    const modelKey = Object.keys(properties).find((name) => !nicOptions.has(name));
    const model = properties.model ?? modelKey ?? '';
    const mac = properties.macaddr ?? (modelKey !== undefined ? properties[modelKey] : undefined);
    const vlan = properties.tag !== undefined ? Number(properties.tag) : undefined;
    return {
      key,
      model,
      ...(mac !== undefined && mac.length > 0 ? { mac: mac.toLowerCase() } : {}),
      ...(properties.bridge !== undefined ? { bridge: properties.bridge } : {}),
      ...(vlan !== undefined && Number.isInteger(vlan) ? { vlan } : {}),
      ...(properties.firewall !== undefined ? { firewall: properties.firewall === '1' } : {}),
    };
  });
}

const mebibyte = 1024 ** 2;
/** qemu-server's default memory, MiB. */
const defaultMemoryMiB = 512;

function numberOf(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** `memory: 4096`, or since PVE 8.1 the property string `current=4096[,…]`; MiB. */
function memoryMiB(config: GuestConfig): number {
  const value = config.memory;
  if (typeof value === 'string' && value.includes('=')) return numberOf(parsePropertyString(value, 'current').current) ?? defaultMemoryMiB;
  return numberOf(value) ?? defaultMemoryMiB;
}

/**
 * The balloon's minimum in bytes, as qemu-server reads `balloon`: absent, the
 * balloon device is there but the guest keeps all its memory (minimum =
 * `memory`); `0`, there is no balloon device at all (undefined here); else
 * the guest may be shrunk down to `balloon` MiB, weighted by `shares` when
 * the host runs short.
 */
export function balloonMinimum(config: GuestConfig): number | undefined {
  const balloon = numberOf(config.balloon);
  if (balloon === 0) return undefined;
  return (balloon ?? memoryMiB(config)) * mebibyte;
}

/** Whether the agent is enabled: `agent: 1` or the property string `enabled=1,fstrim_cloned_disks=1`. */
export function agentEnabled(config: GuestConfig): boolean {
  const value = config.agent;
  if (value === undefined) return false;
  const enabled = parsePropertyString(String(value), 'enabled').enabled;
  return enabled === '1';
}
