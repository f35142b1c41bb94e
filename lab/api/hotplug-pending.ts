/**
 * qemu-server's `vmconfig_hotplug_pending` (PVE/QemuServer.pm) for a running
 * guest: fast-plug keys apply at once; NICs and SCSI/VirtIO disks are plugged,
 * unplugged or changed for real through QMP when `hotplug` allows it (default
 * `network,disk,usb`); a CD drive changes its medium; everything else stays in
 * `[PENDING]` until the next start. Returns PVE's per-key `hotplug problem - …` errors.
 */
import { rmSync } from 'node:fs';
import { DISK_KEY, isCdrom, parseDrive } from '../cluster/guest-config';
import type { LabGuest } from '../cluster/model';
import { FAST_PLUG_KEYS, pendingDeletes, registerUnused, removePendingDelete } from '../cluster/pending';
import { parseVolid } from '../cluster/storage';
import type { ClusterServices } from '../cluster/services';
import { parsePropertyString } from '../qemu/pve-config';

/** Thrown for a change that cannot be hot-plugged: it stays pending (PVE's `die "skip\n"`). */
class Skip extends Error {}

/** `parse_hotplug_features`: `1` = network,disk,usb; `0` = none. */
function hotplugFeatures(value: string | undefined): Set<string> {
  const text = value ?? '1';
  if (text === '1') return new Set(['network', 'disk', 'usb']);
  if (text === '0') return new Set();
  return new Set(text.split(',').filter(Boolean));
}

/** Options of a disk that need a new QEMU drive (vmconfig_update_disk's "skip non hotpluggable value"). */
const COLD_DISK_OPTIONS = ['aio', 'discard', 'iothread', 'queues', 'product', 'cache', 'ssd', 'vendor', 'ro'];

/** Options of a NIC that need a new device (vmconfig_update_net's model/macaddr/queues/mtu). */
function nicIdentity(value: string): string {
  const options = parsePropertyString(value, 'model');
  const model = Object.keys(options).find((key) => /^(virtio|e1000e?|rtl8139|vmxnet3|i82551|i82557b|i82559er|ne2k_isa|ne2k_pci|pcnet)$/.test(key));
  return JSON.stringify([model ?? options.model, model ? options[model] : options.macaddr, options.queues, options.mtu, !!options.bridge]);
}

function agentOptions(value: string): Record<string, string> {
  const options = parsePropertyString(value, 'enabled');
  delete options.fstrim_cloned_disks;
  return options;
}

export async function hotplugPending(lab: ClusterServices, guest: LabGuest, selection: Set<string>): Promise<Record<string, string>> {
  const pending = guest.pending ?? {};
  const config = guest.config;
  const errors: Record<string, string> = {};
  const features = hotplugFeatures(config.hotplug);
  const imagePath = (value: string): string => lab.storage.resolve(parseDrive(value).volume, guest.node);

  for (const key of Object.keys(pending)) {
    if (!FAST_PLUG_KEYS.has(key)) continue;
    config[key] = pending[key] ?? '';
    Reflect.deleteProperty(pending, key);
  }

  const attempt = async (key: string, change: () => Promise<void> | void): Promise<boolean> => {
    try {
      await change();
      return true;
    } catch (error) {
      if (!(error instanceof Skip)) errors[key] = `hotplug problem - ${(error as Error).message}`;
      return false;
    }
  };
  const skip = (): never => {
    throw new Skip();
  };

  for (const [key, force] of [...pendingDeletes(pending)].sort(([a], [b]) => a.localeCompare(b))) {
    if (!selection.has(key)) continue;
    const removed = await attempt(key, async () => {
      const value = config[key] ?? '';
      if (key === 'hotplug') {
        if (/cpu|memory/.test(config.hotplug ?? '')) skip();
      } else if (key === 'tablet') {
        if (!features.has('usb')) skip();
      } else if (key === 'balloon') {
        if (config.balloon === '0') skip();
      } else if (FAST_PLUG_KEYS.has(key) || key === 'cpuunits' || key === 'cpulimit') {
        // nothing runs differently
      } else if (/^net\d+$/.test(key)) {
        if (!features.has('network')) skip();
        await lab.runtime.unplugDevice(guest.vmid, key);
      } else if (DISK_KEY.test(key)) {
        if (!features.has('disk') || /^(efidisk|ide|sata|tpmstate)\d/.test(key)) skip();
        await lab.runtime.unplugDevice(guest.vmid, key);
        const volume = parseDrive(value).volume;
        if (force && !isCdrom(value) && parseVolid(volume)) rmSync(lab.storage.resolve(volume, guest.node), { force: true });
        else registerUnused(config, value);
      } else {
        // vcpus, memory (no CPU or memory hotplug in the lab), usbN and every other key
        skip();
      }
    });
    if (!removed) continue;
    Reflect.deleteProperty(config, key);
    removePendingDelete(pending, key);
  }

  for (const [key, value] of Object.entries(pending)) {
    if (key === 'delete' || !selection.has(key)) continue;
    const applied = await attempt(key, async () => {
      const old = config[key];
      if (key === 'hotplug') {
        if (/cpu|memory/.test(value) || /cpu|memory/.test(config.hotplug ?? '')) skip();
      } else if (key === 'tablet') {
        if (!features.has('usb')) skip();
      } else if (key === 'balloon') {
        // enabling or disabling the balloon device is not hot-pluggable
        if ((config.balloon !== '0') !== (value !== '0')) skip();
      } else if (key === 'cpuunits' || key === 'cpulimit') {
        // cgroup settings, applied at once by PVE
      } else if (/^net\d+$/.test(key)) {
        if (old !== undefined && nicIdentity(old) === nicIdentity(value)) return; // bridge, tag, rate, firewall, link_down
        if (!features.has('network')) skip();
        if (old !== undefined) await lab.runtime.unplugDevice(guest.vmid, key);
        await lab.runtime.plugDevice(guest.vmid, key, value);
      } else if (DISK_KEY.test(key)) {
        if (key === 'efidisk0' || key === 'tpmstate0') skip();
        await updateDisk(lab, guest, key, old, value, features.has('disk'), imagePath, skip);
      } else if (key === 'agent') {
        if (!old || JSON.stringify(agentOptions(old)) !== JSON.stringify(agentOptions(value))) skip();
      } else {
        // memory, cores, sockets, vcpus, cpu, ostype, bios, boot, vga, machine, args, usbN, serialN, …
        skip();
      }
    });
    if (!applied) continue;
    config[key] = value;
    Reflect.deleteProperty(pending, key);
  }
  if (Object.keys(pending).length === 0) delete guest.pending;
  return errors;
}

/** `vmconfig_update_disk`: a new CD medium, option changes that need no new drive, or an unplug + plug of another volume. */
async function updateDisk(
  lab: ClusterServices,
  guest: LabGuest,
  key: string,
  old: string | undefined,
  value: string,
  diskHotplug: boolean,
  imagePath: (value: string) => string,
  skip: () => never,
): Promise<void> {
  if (old !== undefined) {
    if (isCdrom(old) !== isCdrom(value)) throw new Error('unable to change media type');
    const before = parseDrive(old);
    const after = parseDrive(value);
    if (isCdrom(old)) {
      const volume = after.volume;
      await lab.runtime.changeMedium(guest.vmid, key, volume && volume !== 'none' && volume !== 'cdrom' ? imagePath(value) : undefined);
      return;
    }
    if (before.volume === after.volume) {
      if (COLD_DISK_OPTIONS.some((option) => before.options.get(option) !== after.options.get(option))) skip();
      return;
    }
    if (!diskHotplug) skip();
    await lab.runtime.unplugDevice(guest.vmid, key);
    registerUnused(guest.config, old);
  }
  if (!diskHotplug || /^(ide|sata)\d/.test(key)) skip();
  await lab.runtime.plugDevice(guest.vmid, key, value, imagePath(value));
}
