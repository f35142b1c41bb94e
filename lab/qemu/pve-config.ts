/**
 * Reading the parts of a PVE guest config (qemu-server syntax) that decide
 * how its QEMU process looks: memory, CPUs, disks, display, serial, USB.
 */
import type { GuestConfig } from '../contracts';

export type ImageFormat = 'raw' | 'qcow2' | 'vmdk';
export type DiskBus = 'scsi' | 'virtio' | 'sata' | 'ide';

export interface GuestDisk {
  key: string; // scsi0, virtio1, ...
  bus: DiskBus;
  index: number;
  /** `none` for an empty CD drive. */
  volid: string;
  cdrom: boolean;
  options: Record<string, string>;
}

export interface DisplaySpec {
  /** QEMU -device for the VGA card, or undefined for none/serial displays. */
  device?: string;
  /** True when the display can do SPICE: qxl* and virtio* types, like PVE's `spice` status flag. */
  spice: boolean;
  /** `vga: ...,clipboard=vnc`: QEMU's qemu-vdagent answers VNC clipboard messages. */
  vncClipboard: boolean;
}

const DISK_KEY = /^(scsi|virtio|sata|ide)(\d+)$/;

/** PVE property strings: `default,key=value,...`; the first bare item is the default key. */
export function parsePropertyString(value: string, defaultKey: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) result[defaultKey] = part;
    else result[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return result;
}

function intOf(value: string | undefined, fallback: number): number {
  const match = value?.match(/\d+/);
  return match ? Number(match[0]) : fallback;
}

/** `memory` in MiB, clamped to 64..256 so a lab guest stays small whatever the config claims. */
export function guestMemoryMiB(config: GuestConfig): number {
  return Math.min(256, Math.max(64, intOf(config.memory, 128)));
}

/** Sockets and cores; the total is capped at 4 vCPUs to protect the shared host. */
export function guestCpuTopology(config: GuestConfig): { sockets: number; cores: number } {
  const sockets = Math.min(2, Math.max(1, intOf(config.sockets, 1)));
  const cores = Math.max(1, Math.min(Math.floor(4 / sockets), intOf(config.cores, 1)));
  return { sockets, cores };
}

export function guestDisks(config: GuestConfig): GuestDisk[] {
  const disks: GuestDisk[] = [];
  for (const [key, value] of Object.entries(config)) {
    const match = DISK_KEY.exec(key);
    if (!match?.[1] || !match[2]) continue;
    const options = parsePropertyString(value, 'file');
    const volid = options.file ?? 'none';
    disks.push({ key, bus: match[1] as DiskBus, index: Number(match[2]), volid, cdrom: options.media === 'cdrom', options });
  }
  return disks.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

/** Format from an explicit `format=` option, else from the file name (PVE names volumes by format). */
export function imageFormatOf(path: string, explicit?: string): ImageFormat {
  if (explicit === 'raw' || explicit === 'qcow2' || explicit === 'vmdk') return explicit;
  if (path.endsWith('.qcow2')) return 'qcow2';
  if (path.endsWith('.vmdk')) return 'vmdk';
  return 'raw';
}

export function displaySpec(config: GuestConfig): DisplaySpec {
  const vga = parsePropertyString(config.vga ?? 'std', 'type');
  const type = vga.type ?? 'std';
  const vncClipboard = vga.clipboard === 'vnc';
  const vgamem = Math.min(64, Math.max(4, intOf(vga.memory, 16)));
  if (/^qxl[234]?$/.test(type)) {
    return { device: `qxl-vga,id=vga,ram_size_mb=16,vram_size_mb=16,vgamem_mb=${vgamem}`, spice: true, vncClipboard };
  }
  if (/^virtio(-gl)?$/.test(type)) return { device: 'virtio-vga,id=vga', spice: true, vncClipboard };
  if (type === 'cirrus') return { device: 'cirrus-vga,id=vga', spice: false, vncClipboard };
  if (type === 'vmware') return { device: 'vmware-svga,id=vga', spice: false, vncClipboard };
  if (type === 'none' || /^serial\d$/.test(type)) return { spice: false, vncClipboard };
  return { device: `VGA,id=vga,vgamem_mb=${vgamem}`, spice: false, vncClipboard };
}

/** Indexes N of `usbN: spice` (also `spice,usb3=1`): one SPICE usbredir channel each. */
export function spiceUsbPorts(config: GuestConfig): number[] {
  return Object.entries(config)
    .filter(([key, value]) => /^usb\d+$/.test(key) && parsePropertyString(value, 'host').host === 'spice')
    .map(([key]) => Number(key.slice(3)))
    .sort((a, b) => a - b);
}

/**
 * The rule for a SPICE server on the guest: a SPICE-capable display (qxl*,
 * virtio*) or any `usbN: spice` (usbredir channels need a SPICE server).
 */
export function wantsSpice(config: GuestConfig): boolean {
  return displaySpec(config).spice || spiceUsbPorts(config).length > 0;
}

export function hasSerialSocket(config: GuestConfig): boolean {
  return config.serial0 === 'socket';
}

/** `boot: order=scsi0;ide2;net0` → device keys in boot order. */
export function bootOrder(config: GuestConfig): string[] {
  const order = parsePropertyString(config.boot ?? '', 'legacy').order;
  return order ? order.split(';').filter(Boolean) : [];
}

export interface GuestNic {
  key: string;
  model: string;
  mac?: string;
}

const NIC_MODELS: Record<string, string> = {
  virtio: 'virtio-net-pci',
  e1000: 'e1000',
  e1000e: 'e1000e',
  rtl8139: 'rtl8139',
  vmxnet3: 'vmxnet3',
};

/** `netN: virtio=BC:24:11:..,bridge=vmbr0`: the model key carries the MAC. */
export function guestNics(config: GuestConfig): GuestNic[] {
  const nics: GuestNic[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!/^net\d+$/.test(key)) continue;
    const options = parsePropertyString(value, 'model');
    const modelKey = Object.keys(NIC_MODELS).find((model) => model in options) ?? options.model ?? 'virtio';
    const macCandidate = options[modelKey] ?? options.macaddr;
    const mac = macCandidate && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(macCandidate) ? macCandidate : undefined;
    nics.push({ key, model: NIC_MODELS[modelKey] ?? 'virtio-net-pci', ...(mac ? { mac } : {}) });
  }
  return nics.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

export function isWindows(config: GuestConfig): boolean {
  return /^(win|wxp|w2k)/.test(config.ostype ?? '');
}

/** Renders a config as the text of /etc/pve/qemu-server/<vmid>.conf (used in backup archives). */
export function renderConfigFile(config: GuestConfig): string {
  const lines: string[] = [];
  if (config.description) {
    for (const line of config.description.split('\n')) lines.push(`#${line}`);
  }
  for (const [key, value] of Object.entries(config)) {
    if (key !== 'description') lines.push(`${key}: ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

export function parseConfigFile(text: string): GuestConfig {
  const config: GuestConfig = {};
  const description: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) break; // snapshot sections follow; the current config comes first
    if (line.startsWith('#')) description.push(line.slice(1));
    const match = /^([\w-]+):\s?(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) config[match[1]] = match[2];
  }
  if (description.length > 0) config.description = description.join('\n');
  return config;
}
