/**
 * Hot-plug and hot-unplug of NICs and disks in a running guest, as
 * qemu-server's `vm_deviceplug` / `vm_deviceunplug` do through QMP: the same
 * ids as the command line (`drive-scsi1` + device `scsi1`, netdev `net1` +
 * device `net1dev`), so later QMP calls (resize, snapshots, backup) find them.
 */
import type { GuestProcess } from './guest-process';
import { guestDisks, guestNics, imageFormatOf } from './pve-config';
import { escapeOption } from './qemu-command';

/** qemu-server's `qemu_devicedelverify` waits this long for QEMU to drop a device (guest cooperation for PCI). */
const UNPLUG_TIMEOUT_MS = 10_000;

async function peripheralIds(guest: GuestProcess): Promise<Set<string>> {
  const items = await guest.qmp.execute<{ name: string }[]>('qom-list', { path: '/machine/peripheral' });
  return new Set(items.map((item) => item.name));
}

function hmp(guest: GuestProcess, command: string): Promise<string> {
  return guest.qmp.execute<string>('human-monitor-command', { 'command-line': command }).then((answer) => {
    // drive_add answers `OK`, drive_del nothing; anything else is its error text.
    if (answer.trim() && answer.trim() !== 'OK') throw new Error(answer.trim());
    return answer;
  });
}

export async function plugNic(guest: GuestProcess, key: string, value: string): Promise<void> {
  const nic = guestNics({ [key]: value })[0];
  if (!nic) throw new Error(`invalid network device '${key}'`);
  await guest.qmp.execute('netdev_add', { type: 'user', id: key, restrict: true });
  try {
    await guest.qmp.execute('device_add', { driver: nic.model, netdev: key, id: `${key}dev`, romfile: '', ...(nic.mac ? { mac: nic.mac } : {}) });
  } catch (error) {
    await guest.qmp.execute('netdev_del', { id: key }).catch(() => undefined);
    throw error;
  }
}

/** A disk on the SCSI or VirtIO bus (PVE hot-plugs no IDE/SATA disk); a SCSI controller is added when the guest had none. */
export async function plugDisk(guest: GuestProcess, key: string, value: string, imagePath: string): Promise<void> {
  const disk = guestDisks({ [key]: value })[0];
  if (!disk || (disk.bus !== 'scsi' && disk.bus !== 'virtio')) throw new Error(`cannot hotplug disk '${key}'`);
  const format = imageFormatOf(imagePath, disk.options.format);
  await hmp(guest, `drive_add auto "file=${escapeOption(imagePath)},if=none,id=drive-${key},format=${format},discard=on"`);
  try {
    if (disk.bus === 'virtio') {
      await guest.qmp.execute('device_add', { driver: 'virtio-blk-pci', drive: `drive-${key}`, id: key });
      return;
    }
    const ids = await peripheralIds(guest);
    const virtioScsi = (guest.ref.config.scsihw ?? 'lsi').startsWith('virtio-scsi');
    if (!ids.has('scsihw0')) await guest.qmp.execute('device_add', { driver: virtioScsi ? 'virtio-scsi-pci' : 'lsi53c895a', id: 'scsihw0' });
    const address = virtioScsi ? { channel: 0, 'scsi-id': 0, lun: disk.index } : { 'scsi-id': disk.index };
    await guest.qmp.execute('device_add', { driver: 'scsi-hd', bus: 'scsihw0.0', ...address, drive: `drive-${key}`, id: key });
  } catch (error) {
    await hmp(guest, `drive_del drive-${key}`).catch(() => undefined);
    throw error;
  }
}

/** device_del, then waits until QEMU has dropped the device before removing its backend (drive or netdev). */
export async function unplugDevice(guest: GuestProcess, key: string): Promise<void> {
  const deviceId = /^net\d+$/.test(key) ? `${key}dev` : key;
  if ((await peripheralIds(guest)).has(deviceId)) {
    await guest.qmp.execute('device_del', { id: deviceId });
    const deadline = Date.now() + UNPLUG_TIMEOUT_MS;
    while ((await peripheralIds(guest)).has(deviceId)) {
      if (Date.now() > deadline) throw new Error(`error on hot-unplugging device '${deviceId}'`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (/^net\d+$/.test(key)) await guest.qmp.execute('netdev_del', { id: key }).catch(() => undefined);
  else await hmp(guest, `drive_del drive-${key}`).catch(() => undefined);
}

/** A CD drive's medium: `blockdev-change-medium`, or an eject for `none` (qemu-server's `change_medium`). */
export async function changeMedium(guest: GuestProcess, key: string, imagePath: string | undefined): Promise<void> {
  if (!imagePath) {
    await guest.qmp.execute('eject', { id: key, force: true });
    return;
  }
  await guest.qmp.execute('blockdev-change-medium', { id: key, filename: imagePath, format: 'raw' });
}
