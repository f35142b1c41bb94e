/**
 * One line of words for each Hardware row's values, as PVE's Hardware panel
 * reads them: sizes in the reader's units, PVE's defaults named when the
 * config leaves a key out, cluster-given text (volumes, MACs) made safe.
 */
import type { ConfigValue } from '../../../../shared/domain/operations';
import { guestNics, parseDiskSize, parsePropertyString } from '../../../../shared/pve/guest-config';
import { formatBytes, shownText } from '../../inventory';
import type { ConfigValues, HardwareKind } from './hardware-rows';

type Translate = (key: string, named?: Record<string, unknown>) => string;

const mebibyte = 1024 ** 2;
/** qemu-server's defaults where the config says nothing. */
export const defaultMemoryMiB = 512;
export const defaultCpuType = 'kvm64';

function numberOf(value: ConfigValue | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** `memory: 4096`, or since PVE 8.1 `current=4096[,…]`; MiB. */
export function memoryMiB(values: ConfigValues): number {
  const value = values.memory;
  if (typeof value === 'string' && value.includes('=')) return numberOf(parsePropertyString(value, 'current').current) ?? defaultMemoryMiB;
  return numberOf(value) ?? defaultMemoryMiB;
}

/** The balloon minimum, MiB: undefined when `balloon` is left out (the guest keeps its memory), 0 when there is no balloon device. */
export function balloonMiB(values: ConfigValues): number | undefined {
  return numberOf(values.balloon);
}

export function cpuTopology(values: ConfigValues): { sockets: number; cores: number; type: string } {
  const type = values.cpu === undefined ? undefined : parsePropertyString(String(values.cpu), 'cputype').cputype;
  return { sockets: numberOf(values.sockets) ?? 1, cores: numberOf(values.cores) ?? 1, type: type ?? defaultCpuType };
}

/** A drive's properties: its volume under `file`, its size in bytes when it says one. */
export function driveProperties(value: ConfigValue | undefined): { properties: Record<string, string>; volume: string; size?: number } {
  const properties = parsePropertyString(String(value ?? ''), 'file');
  const size = properties.size === undefined ? undefined : parseDiskSize(properties.size);
  return { properties, volume: properties.file ?? '', ...(size === undefined ? {} : { size }) };
}

/** A volume's format: `format=` when the drive names it, else its file extension, else raw (block storages). */
export function volumeFormat(properties: Record<string, string>): string {
  if (properties.format !== undefined) return properties.format;
  const extension = /\.(qcow2|vmdk|raw)$/.exec(properties.file ?? '')?.[1];
  return extension ?? 'raw';
}

/** The drive options worth a word besides volume, size and format, in PVE's order. */
const driveOptions = ['cache', 'discard', 'iothread', 'ssd', 'backup', 'replicate', 'aio'] as const;

function describeDrive(t: Translate, locale: string, value: ConfigValue | undefined): string {
  const { properties, volume, size } = driveProperties(value);
  const parts = [shownText(volume, 200)];
  if (size !== undefined) parts.push(t('operations.config.hardware.values.size', { size: formatBytes(size, locale) }));
  parts.push(t('operations.config.hardware.values.format', { format: shownText(volumeFormat(properties), 20) }));
  for (const option of driveOptions) {
    const optionValue = properties[option];
    if (optionValue !== undefined) parts.push(`${option}=${shownText(optionValue, 40)}`);
  }
  return parts.join(' · ');
}

function describeCdrom(t: Translate, value: ConfigValue | undefined): string {
  const { volume } = driveProperties(value);
  if (volume === 'none' || volume === '') return t('operations.config.hardware.values.noMedia');
  if (volume === 'cdrom') return t('operations.config.hardware.values.hostDrive');
  return shownText(volume, 200);
}

function describeNic(t: Translate, key: string, value: ConfigValue | undefined): string {
  const [nic] = guestNics({ [key]: String(value ?? '') });
  if (nic === undefined) return '';
  const parts = [shownText(nic.model, 20)];
  if (nic.mac !== undefined) parts.push(t('operations.config.hardware.values.mac', { mac: shownText(nic.mac, 40) }));
  if (nic.bridge !== undefined) parts.push(t('operations.config.hardware.values.bridge', { bridge: shownText(nic.bridge, 40) }));
  if (nic.vlan !== undefined) parts.push(t('operations.config.hardware.values.vlan', { tag: nic.vlan }));
  parts.push(t(nic.firewall === true ? 'operations.config.hardware.values.firewallOn' : 'operations.config.hardware.values.firewallOff'));
  if (parsePropertyString(String(value ?? '')).link_down === '1') parts.push(t('operations.config.hardware.values.disconnected'));
  return parts.join(' · ');
}

/** A value PVE fills in itself when the key is left out: "Default (SeaBIOS)". */
function orDefault(t: Translate, value: ConfigValue | undefined, fallback: string, defaultKey = 'type'): string {
  if (value === undefined) return t('operations.config.hardware.values.default', { value: fallback });
  const text = parsePropertyString(String(value), defaultKey)[defaultKey] ?? String(value);
  return shownText(text, 80);
}

/** The row's value in words, or "—" when the device is not there on that side. */
export function describeHardware(t: Translate, locale: string, kind: HardwareKind, key: string, values: ConfigValues): string {
  switch (kind) {
    case 'memory': {
      const memory = formatBytes(memoryMiB(values) * mebibyte, locale);
      const balloon = balloonMiB(values);
      if (balloon === 0) return t('operations.config.hardware.values.memoryNoBalloon', { memory });
      if (balloon === undefined) return t('operations.config.hardware.values.memory', { memory });
      return t('operations.config.hardware.values.memoryBalloon', { memory, min: formatBytes(balloon * mebibyte, locale) });
    }
    case 'processors': {
      const { sockets, cores, type } = cpuTopology(values);
      return t('operations.config.hardware.values.processors', { sockets, cores, total: sockets * cores, type: shownText(type, 40) });
    }
    case 'bios':
      return values.bios === 'ovmf' ? t('operations.config.hardware.values.ovmf') : orDefault(t, values.bios, 'SeaBIOS');
    case 'display':
      return orDefault(t, values.vga, t('operations.config.hardware.values.standardVga'));
    case 'machine':
      return orDefault(t, values.machine, 'i440fx');
    case 'scsihw':
      return orDefault(t, values.scsihw, 'LSI 53C895A');
    case 'nic':
      return values[key] === undefined ? '—' : describeNic(t, key, values[key]);
    case 'cdrom':
      return values[key] === undefined ? '—' : describeCdrom(t, values[key]);
    case 'unused':
      return values[key] === undefined ? '—' : shownText(String(values[key]), 200);
    default:
      return values[key] === undefined ? '—' : describeDrive(t, locale, values[key]);
  }
}
