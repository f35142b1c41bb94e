/**
 * The boot order as PVE's Boot Order dialog edits it (pve-manager
 * `qemu/BootOrderEdit.js`, qemu-server `boot` format): the devices that may
 * boot, those in `order=` first and enabled in that order, the others after
 * them, disabled. A legacy `boot: cdn` (with `bootdisk`) is read the same way
 * PVE's dialog converts it.
 */
import type { ConfigValue } from '../../../../shared/domain/operations';
import { parsePropertyString } from '../../../../shared/pve/guest-config';
import type { ConfigValues } from '../hardware/hardware-rows';

export interface BootDevice {
  key: string;
  enabled: boolean;
}

const driveKey = /^(?:ide|sata|scsi|virtio)\d{1,2}$/;

function isCloudinit(value: string): boolean {
  return /media=cdrom/.test(value) && /[:/]vm-\d+-cloudinit/.test(value);
}
function isCdrom(value: string): boolean {
  return /media=cdrom/.test(value) && !isCloudinit(value);
}

/** Whether a config key is a device the firmware may boot from (qemu-server `verify_bootdev`, the dialog's `isBootdev`). */
export function isBootDevice(key: string, value: ConfigValue): boolean {
  const text = String(value);
  return (driveKey.test(key) && !isCloudinit(text)) || /^net\d+$/.test(key) || /^hostpci\d+$/.test(key) || (/^usb\d+$/.test(key) && !/spice/.test(text));
}

/** The devices a legacy `boot: [acdn]` value boots from, in its order. */
function legacyOrder(values: ConfigValues, legacy: string): string[] {
  const keys = Object.keys(values);
  const order: string[] = [];
  for (const letter of legacy.slice(0, 4)) {
    let found: string[] = [];
    if (letter === 'c') {
      const bootdisk = values.bootdisk === undefined ? undefined : String(values.bootdisk);
      if (bootdisk !== undefined && values[bootdisk] !== undefined) found = [bootdisk];
    } else if (letter === 'd') {
      found = keys.filter((key) => driveKey.test(key) && isCdrom(String(values[key])));
    } else if (letter === 'n') {
      found = keys.filter((key) => /^net\d+$/.test(key));
    }
    order.push(...found.sort());
  }
  return order;
}

export function bootDevices(values: ConfigValues): BootDevice[] {
  const boot = values.boot === undefined ? '' : String(values.boot);
  const properties = parsePropertyString(boot, 'legacy');
  let enabled: string[] = [];
  if (properties.order !== undefined) enabled = properties.order.split(';').filter((key) => key !== '');
  // No `boot` at all is PVE's legacy default `cdn` too.
  else enabled = legacyOrder(values, properties.legacy ?? 'cdn');
  const disabled = Object.keys(values)
    .filter((key) => isBootDevice(key, values[key] ?? '') && !enabled.includes(key))
    .sort();
  return [...enabled.map((key) => ({ key, enabled: true })), ...disabled.map((key) => ({ key, enabled: false }))];
}

/** `order=scsi0;ide2;net0`: the enabled devices in their order (empty when none, which PVE accepts: nothing boots). */
export function bootValue(devices: readonly BootDevice[]): string {
  return `order=${devices
    .filter((device) => device.enabled)
    .map((device) => device.key)
    .join(';')}`;
}

/** The list with the device at `from` moved to `to` (clamped to the list). */
export function moveDevice(devices: readonly BootDevice[], from: number, to: number): BootDevice[] {
  const target = Math.max(0, Math.min(devices.length - 1, to));
  const moved = [...devices];
  const [device] = moved.splice(from, 1);
  if (device === undefined) return moved;
  moved.splice(target, 0, device);
  return moved;
}
