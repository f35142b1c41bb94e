import { createHash, randomBytes } from 'node:crypto';
import type { GuestConfig } from '../contracts';

export const DISK_KEY = /^(ide\d|sata\d|scsi\d{1,2}|virtio\d{1,2}|efidisk0|tpmstate0)$/;
export const UNUSED_KEY = /^unused\d+$/;

/** Indexed config keys and how many of each qemu-server defines (its `MAX_*` constants). */
const INDEXED_KEYS: Record<string, number> = {
  ide: 4,
  sata: 6,
  scsi: 31,
  virtio: 16,
  unused: 256,
  net: 32,
  ipconfig: 32,
  serial: 4,
  usb: 14,
  hostpci: 16,
};

/**
 * Every config key the lab accepts (PVE's qemu-server schema, the part the app
 * uses), indexed ones expanded as qemu-server's `json_config_properties` lists them.
 */
export const CONFIG_KEY_NAMES: readonly string[] = [
  ...['name', 'memory', 'balloon', 'cores', 'sockets', 'vcpus', 'cpu', 'cpulimit', 'cpuunits', 'numa', 'ostype', 'boot', 'bootdisk'],
  ...['agent', 'tags', 'description', 'onboot', 'startup', 'vga', 'machine', 'bios', 'scsihw', 'hotplug', 'protection', 'args'],
  ...['smbios1', 'vmgenid', 'meta', 'tablet', 'localtime', 'kvm', 'acpi', 'keyboard', 'template', 'hookscript', 'audio0', 'rng0'],
  ...['ciuser', 'cipassword', 'citype', 'sshkeys', 'nameserver', 'searchdomain', 'efidisk0', 'tpmstate0'],
  ...Object.entries(INDEXED_KEYS).flatMap(([prefix, count]) => Array.from({ length: count }, (_, i) => `${prefix}${i}`)),
];

const CONFIG_KEYS = new Set(CONFIG_KEY_NAMES);

export function isConfigKey(key: string): boolean {
  return CONFIG_KEYS.has(key);
}

/** Which privilege a config key needs (qemu-server's check_vm_modify_config_perm). */
export function privilegeForKey(key: string, value?: string): string {
  if (DISK_KEY.test(key) && value?.includes('media=cdrom')) return 'VM.Config.CDROM';
  if (DISK_KEY.test(key) || UNUSED_KEY.test(key)) return 'VM.Config.Disk';
  if (/^(memory|balloon|shares)$/.test(key)) return 'VM.Config.Memory';
  if (/^(cores|sockets|vcpus|cpu|cpulimit|cpuunits|numa|affinity)$/.test(key)) return 'VM.Config.CPU';
  if (/^net\d+$/.test(key)) return 'VM.Config.Network';
  if (/^(ipconfig\d+|ciuser|cipassword|citype|sshkeys|nameserver|searchdomain)$/.test(key)) return 'VM.Config.Cloudinit';
  if (/^(vga|machine|bios|scsihw|serial\d|usb\d+|hostpci\d+|audio0|rng0|tablet|kvm|acpi|args|smbios1|vmgenid)$/.test(key)) return 'VM.Config.HWType';
  return 'VM.Config.Options';
}

/** Parses `local:100/vm-100-disk-0.qcow2,size=8G,cache=none` into the volume and its options. */
export function parseDrive(value: string): { volume: string; options: Map<string, string> } {
  const parts = value.split(',');
  const first = parts[0] ?? '';
  const options = new Map<string, string>();
  let volume = first;
  let rest = parts.slice(1);
  if (first.includes('=') && !first.includes(':')) {
    volume = '';
    rest = parts;
  } else if (first.startsWith('file=')) {
    volume = first.slice(5);
  }
  for (const option of rest) {
    const eq = option.indexOf('=');
    if (eq > 0) options.set(option.slice(0, eq), option.slice(eq + 1));
  }
  return { volume, options };
}

export function formatDrive(volume: string, options: Map<string, string>): string {
  return [volume, ...[...options].map(([k, v]) => `${k}=${v}`)].join(',');
}

export function isCdrom(value: string): boolean {
  return parseDrive(value).options.get('media') === 'cdrom';
}

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `8G`, `512M`, `1.5G`, plain bytes → bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT])?$/i.exec(text.trim());
  if (!m) throw new Error(`invalid size '${text}'`);
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? '').toUpperCase()] ?? 1));
}

/** PVE's format_size: the largest unit that divides the size exactly. */
export function formatSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K'] as const) {
    const factor = UNITS[unit] ?? 1;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** The config file as qemu-server writes it: description as `#` comments, `key: value` lines, then the `[PENDING]` section. */
export function serialiseConfig(config: GuestConfig, pending?: GuestConfig): string {
  const lines: string[] = [];
  if (config.description) for (const line of config.description.split('\n')) lines.push(`#${encodeURIComponent(line).replace(/%20/g, ' ')}`);
  for (const key of Object.keys(config).sort()) {
    if (key === 'description') continue;
    lines.push(`${key}: ${config[key] ?? ''}`);
  }
  if (pending && Object.keys(pending).length > 0) {
    lines.push('', '[PENDING]');
    for (const key of Object.keys(pending).sort()) lines.push(`${key}: ${pending[key] ?? ''}`);
  }
  return lines.join('\n') + '\n';
}

/** PVE's config digest: SHA-1 of the config file's bytes (its pending section included). */
export function configDigest(config: GuestConfig, pending?: GuestConfig): string {
  return createHash('sha1').update(serialiseConfig(config, pending)).digest('hex');
}

export function diskKeys(config: GuestConfig): string[] {
  return Object.keys(config).filter((k) => DISK_KEY.test(k) && !isCdrom(config[k] ?? ''));
}

/** Sum of the guest's disk sizes, PVE's `maxdisk`. */
export function maxDisk(config: GuestConfig): number {
  let total = 0;
  for (const key of diskKeys(config)) {
    const size = parseDrive(config[key] ?? '').options.get('size');
    if (size) total += parseSize(size);
  }
  return total;
}

export function memoryBytes(config: GuestConfig): number {
  return Number(config.memory ?? '512') * 1024 * 1024;
}

export function cpuCount(config: GuestConfig): number {
  return Number(config.vcpus ?? Number(config.cores ?? '1') * Number(config.sockets ?? '1'));
}

export function nextFreeKey(config: GuestConfig, prefix: string): string {
  for (let i = 0; ; i++) if (config[`${prefix}${i}`] === undefined) return `${prefix}${i}`;
}

/** PVE::Tools::random_ether_addr with the default `BC:24:11` prefix (datacenter.cfg's mac_prefix). */
export function randomMac(): string {
  return ['BC', '24', '11', ...[...randomBytes(3)].map((b) => b.toString(16).toUpperCase().padStart(2, '0'))].join(':');
}

/** parse_net + print_net: a NIC given without a MAC (`virtio,bridge=vmbr0`) gets a random one as `virtio=<MAC>`. */
export function withMacAddress(value: string): string {
  const [first = '', ...rest] = value.split(',');
  if (first.includes('=') || /(^|,)macaddr=/.test(value) || !/^[a-z0-9_]+$/i.test(first)) return value;
  return [`${first}=${randomMac()}`, ...rest].join(',');
}
