/**
 * The rows of a guest's Hardware panel out of `GET .../pending`: each row
 * names the config keys it shows, their values now and their values at the
 * next start, as qemu-server's `vm_pending` reports them (`value` runs now,
 * `pending` waits, `delete` removes).
 */
import type { ConfigValue, GuestConfigView, PendingEntry } from '../../../../shared/domain/operations';
import { parsePropertyString } from '../../../../shared/pve/guest-config';

export type HardwareKind = 'memory' | 'processors' | 'bios' | 'display' | 'machine' | 'scsihw' | 'disk' | 'cdrom' | 'efidisk' | 'tpm' | 'nic' | 'unused';

/** A guest's config as plain keys and values (one side of the pending view). */
export type ConfigValues = Record<string, ConfigValue>;

export interface HardwareRow {
  /** `memory`, `processors`, … or the device's own key (`scsi0`, `net1`, `unused0`). */
  key: string;
  kind: HardwareKind;
  /** The config keys the row shows: what "Revert" drops the pending changes of. */
  configKeys: string[];
  /** The row's keys as they are now; empty when the device only comes at the next start. */
  current: ConfigValues;
  /** The row's keys at the next start, when a change waits; undefined when nothing waits. */
  pending?: ConfigValues;
  /** The device is removed at the next start. */
  removing: boolean;
}

/** The rows every guest has, whether its config names their keys or leaves PVE's default. */
const fixedRows: { key: string; kind: HardwareKind; configKeys: string[] }[] = [
  { key: 'memory', kind: 'memory', configKeys: ['memory', 'balloon', 'shares'] },
  { key: 'processors', kind: 'processors', configKeys: ['sockets', 'cores', 'cpu', 'vcpus', 'numa'] },
  { key: 'bios', kind: 'bios', configKeys: ['bios'] },
  { key: 'display', kind: 'display', configKeys: ['vga'] },
  { key: 'machine', kind: 'machine', configKeys: ['machine'] },
  { key: 'scsihw', kind: 'scsihw', configKeys: ['scsihw'] },
];

/** Whether a row is a device (a drive, a NIC, an unused disk), which may be absent now and come at the next start. */
export function isDeviceRow(row: Pick<HardwareRow, 'key' | 'kind'>): boolean {
  return !fixedRows.some((fixed) => fixed.key === row.key);
}

export const driveKeyPattern = /^(?:ide|sata|scsi|virtio)\d{1,2}$/;
const deviceKeyPattern = /^(?:(?:ide|sata|scsi|virtio)\d{1,2}|efidisk0|tpmstate0|net\d{1,2}|unused\d{1,3})$/;

/** Whether a drive's value is a CD drive (`media=cdrom`, or `cdrom` alone for the host's drive). */
export function isCdromValue(value: ConfigValue | undefined): boolean {
  if (value === undefined) return false;
  const properties = parsePropertyString(String(value), 'file');
  return properties.media === 'cdrom' || properties.file === 'cdrom';
}

/** The kind of a device's row from its key and value (a drive with `media=cdrom` is a CD drive). */
export function deviceKind(key: string, value: ConfigValue | undefined): HardwareKind {
  if (key.startsWith('net')) return 'nic';
  if (key.startsWith('unused')) return 'unused';
  if (key === 'efidisk0') return 'efidisk';
  if (key === 'tpmstate0') return 'tpm';
  return isCdromValue(value) ? 'cdrom' : 'disk';
}

/** Order of PVE's own listing: drives by bus then number, then NICs, then unused disks. */
const deviceOrder = ['ide', 'sata', 'scsi', 'virtio', 'efidisk', 'tpmstate', 'net', 'unused'];
function byDeviceOrder(a: string, b: string): number {
  const [, prefixA = '', numberA = '0'] = /^([a-z]+)(\d*)$/.exec(a) ?? [];
  const [, prefixB = '', numberB = '0'] = /^([a-z]+)(\d*)$/.exec(b) ?? [];
  return deviceOrder.indexOf(prefixA) - deviceOrder.indexOf(prefixB) || Number(numberA) - Number(numberB);
}

/** The config as it runs now. */
export function currentValues(entries: readonly PendingEntry[]): ConfigValues {
  const values: ConfigValues = {};
  for (const entry of entries) if (entry.value !== undefined) values[entry.key] = entry.value;
  return values;
}

/** The config as it will be at the next start: pending values over current ones, deleted keys gone. */
export function nextStartValues(entries: readonly PendingEntry[]): ConfigValues {
  const values: ConfigValues = {};
  for (const entry of entries) {
    if (entry.delete !== undefined) continue;
    const value = entry.pending ?? entry.value;
    if (value !== undefined) values[entry.key] = value;
  }
  return values;
}

function pick(values: ConfigValues, keys: readonly string[]): ConfigValues {
  const picked: ConfigValues = {};
  for (const key of keys) if (values[key] !== undefined) picked[key] = values[key];
  return picked;
}

/** One row's values now and at the next start, for the config keys it shows. */
export function rowValues(entries: readonly PendingEntry[], configKeys: readonly string[]): Pick<HardwareRow, 'current' | 'pending' | 'removing'> {
  const waiting = entries.filter((entry) => configKeys.includes(entry.key) && (entry.pending !== undefined || entry.delete !== undefined));
  const current = pick(currentValues(entries), configKeys);
  if (waiting.length === 0) return { current, removing: false };
  const pending = pick(nextStartValues(entries), configKeys);
  return { current, pending, removing: Object.keys(pending).length === 0 && Object.keys(current).length > 0 };
}

export function hardwareRows(config: Pick<GuestConfigView, 'entries'>): HardwareRow[] {
  const { entries } = config;
  const now = currentValues(entries);
  const next = nextStartValues(entries);
  const devices = [...new Set(entries.map((entry) => entry.key))].filter((key) => deviceKeyPattern.test(key)).sort(byDeviceOrder);
  return [
    // A fixed row never goes: its keys deleted, PVE's defaults apply.
    ...fixedRows.map(({ key, kind, configKeys }) => ({ key, kind, configKeys, ...rowValues(entries, configKeys), removing: false })),
    ...devices.map((key) => ({ key, kind: deviceKind(key, now[key] ?? next[key]), configKeys: [key], ...rowValues(entries, [key]) })),
  ];
}

/** The next key of a family not taken now nor at the next start (`scsi` → `scsi1` when `scsi0` exists). */
export function nextFreeKey(entries: readonly PendingEntry[], prefix: string, limit: number): string | undefined {
  const taken = new Set(entries.map((entry) => entry.key));
  for (let index = 0; index < limit; index++) if (!taken.has(`${prefix}${index}`)) return `${prefix}${index}`;
  return undefined;
}

/** How many drives each bus takes (qemu-server's `MAX_*_DISKS`). */
export const busLimits = { ide: 4, sata: 6, scsi: 31, virtio: 16 } as const;
/** qemu-server's `MAX_NETS`. */
export const maxNics = 32;
