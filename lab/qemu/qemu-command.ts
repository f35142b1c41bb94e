/**
 * The qemu-system-x86_64 command line for a PVE guest config, close to what
 * qemu-server builds (same drive/device ids: drive-scsi0 / scsi0, serial0,
 * vdagent, usbredirchardevN) so QMP commands look like PVE's.
 */
import type { GuestConfig } from '../contracts';
import { GUEST_KERNEL_CMDLINE, GUEST_PASSWORD_FW_CFG } from '../guest-image/build-guest-image';
import {
  bootOrder,
  displaySpec,
  guestCpuTopology,
  guestDisks,
  guestMemoryMiB,
  guestNics,
  hasSerialSocket,
  imageFormatOf,
  isWindows,
  spiceUsbPorts,
  wantsSpice,
  type GuestDisk,
} from './pve-config';

/** VNC displays QEMU may pick from (port = 5900 + display); QEMU takes the first free one. */
export const VNC_DISPLAY_RANGE = { from: 200, to: 2000 };

export interface QemuLaunchSpec {
  vmid: number;
  config: GuestConfig;
  /** Absolute image path of each disk key that has a volume. */
  diskPaths: Record<string, string>;
  qmpSocket: string;
  serialSocket?: string;
  spice?: { tlsPort: number; x509Dir: string };
  /**
   * Direct kernel boot of the lab's guest image. root's password reaches the
   * guest as a fw_cfg file QEMU reads from `passwordFile` (0600): on the kernel
   * command line it would show in `ps` to every user of the machine.
   */
  linux?: { kernel: string; initrd: string; hostname: string; passwordFile: string };
  /** `-incoming` URI: 'defer' for live migration targets, `exec:cat <file>` to resume from a state file. */
  incoming?: string;
  /** `-loadvm` snapshot name: start from an internal snapshot with RAM. */
  loadvm?: string;
}

function driveArgs(disk: GuestDisk, path: string | undefined): string[] {
  const id = `drive-${disk.key}`;
  if (disk.cdrom) {
    const file = path ? `file=${escapeOption(path)},format=raw,` : '';
    return ['-drive', `${file}if=none,id=${id},media=cdrom,readonly=on`];
  }
  if (!path) throw new Error(`disk ${disk.key} has no volume`);
  const format = imageFormatOf(path, disk.options.format);
  // No fixed node-name: a drive-mirror replaces the node, so node names are looked up with query-block when needed.
  return ['-drive', `file=${escapeOption(path)},if=none,id=${id},format=${format},discard=on`];
}

/** QEMU option values escape a comma by doubling it. */
export function escapeOption(value: string): string {
  return value.replace(/,/g, ',,');
}

function scsiController(config: GuestConfig): { device: string; virtio: boolean } {
  const scsihw = config.scsihw ?? 'lsi';
  if (scsihw.startsWith('virtio-scsi')) return { device: 'virtio-scsi-pci', virtio: true };
  if (scsihw === 'megasas') return { device: 'megasas', virtio: false };
  if (scsihw === 'pvscsi') return { device: 'pvscsi', virtio: false };
  if (scsihw === 'lsi53c810') return { device: 'lsi53c810', virtio: false };
  return { device: 'lsi53c895a', virtio: false };
}

function diskDeviceArgs(disk: GuestDisk, q35: boolean, scsiVirtio: boolean, bootindex: number | undefined): string {
  const common = `drive=drive-${disk.key},id=${disk.key}${bootindex === undefined ? '' : `,bootindex=${bootindex}`}`;
  switch (disk.bus) {
    case 'virtio':
      return `virtio-blk-pci,${common}`;
    case 'scsi': {
      const address = scsiVirtio ? `channel=0,scsi-id=0,lun=${disk.index}` : `scsi-id=${disk.index}`;
      return `${disk.cdrom ? 'scsi-cd' : 'scsi-hd'},bus=scsihw0.0,${address},${common}`;
    }
    case 'sata':
      return `${disk.cdrom ? 'ide-cd' : 'ide-hd'},bus=ahci0.${disk.index},${common}`;
    case 'ide': {
      // i440fx has two IDE buses with two units each; q35's ICH9 AHCI exposes ide.0..ide.5 with one unit each.
      const address = q35 ? `bus=ide.${disk.index}` : `bus=ide.${disk.index >> 1},unit=${disk.index & 1}`;
      return `${disk.cdrom ? 'ide-cd' : 'ide-hd'},${address},${common}`;
    }
  }
}

export function buildQemuArgs(spec: QemuLaunchSpec): string[] {
  const { config } = spec;
  const q35 = /q35/.test(config.machine ?? '');
  const { sockets, cores } = guestCpuTopology(config);
  const display = displaySpec(config);
  const args = [
    '-name',
    `guest=${escapeOption(config.name ?? `vm${spec.vmid}`)},debug-threads=on`,
    '-nodefaults',
    '-no-user-config',
    '-machine',
    q35 ? 'q35' : 'pc',
    // A bounded translation cache keeps the process RSS small; 32 MiB is plenty for an idle guest.
    '-accel',
    'tcg,tb-size=32',
    '-m',
    String(guestMemoryMiB(config)),
    '-smp',
    `${sockets * cores},sockets=${sockets},cores=${cores},maxcpus=${sockets * cores}`,
    '-qmp',
    `unix:${spec.qmpSocket},server=on,wait=off`,
    // Prelaunch: the runtime connects QMP, subscribes to events and sets passwords before the guest runs.
    '-S',
    '-display',
    'none',
    '-vnc',
    `127.0.0.1:${VNC_DISPLAY_RANGE.from},to=${VNC_DISPLAY_RANGE.to},password=on`,
    '-rtc',
    isWindows(config) ? 'base=localtime' : 'base=utc',
    // Direct kernel boot must not be hidden behind a strict boot order or a boot menu pause.
    '-boot',
    spec.linux ? 'menu=off' : 'menu=on,strict=on',
  ];
  if (display.device) args.push('-device', display.device);
  if (spec.spice && wantsSpice(config)) {
    // TLS only: no plain `port=`; no password until set_password, like PVE.
    args.push('-spice', `tls-port=${spec.spice.tlsPort},addr=127.0.0.1,x509-dir=${escapeOption(spec.spice.x509Dir)},tls-ciphers=HIGH,seamless-migration=on`);
  }
  if (spec.serialSocket && hasSerialSocket(config)) {
    args.push('-chardev', `socket,id=serial0,path=${escapeOption(spec.serialSocket)},server=on,wait=off`, '-device', 'isa-serial,chardev=serial0');
  }

  const agentChannel = display.vncClipboard
    ? 'qemu-vdagent,id=vdagent,name=vdagent,clipboard=on'
    : spec.spice && wantsSpice(config)
      ? 'spicevmc,id=vdagent,name=vdagent'
      : undefined;
  if (agentChannel) {
    args.push(
      '-device',
      'virtio-serial-pci,id=spice-serial',
      '-chardev',
      agentChannel,
      '-device',
      'virtserialport,chardev=vdagent,name=com.redhat.spice.0,bus=spice-serial.0',
    );
  }

  // xHCI rather than UHCI: UHCI's 1 ms frame timer would cost idle CPU under TCG.
  args.push('-device', 'qemu-xhci,p2=15,p3=15,id=xhci');
  if (config.tablet !== '0') args.push('-device', 'usb-tablet,id=tablet,bus=xhci.0');
  if (spec.spice && wantsSpice(config)) {
    for (const n of spiceUsbPorts(config)) {
      args.push('-chardev', `spicevmc,id=usbredirchardev${n},name=usbredir`, '-device', `usb-redir,chardev=usbredirchardev${n},id=usbredirdev${n},bus=xhci.0`);
    }
  }

  const disks = guestDisks(config);
  const order = spec.linux ? [] : bootOrder(config);
  const scsi = scsiController(config);
  if (disks.some((disk) => disk.bus === 'scsi')) args.push('-device', `${scsi.device},id=scsihw0`);
  if (disks.some((disk) => disk.bus === 'sata')) args.push('-device', 'ahci,id=ahci0');
  for (const disk of disks) {
    const position = order.indexOf(disk.key);
    args.push(...driveArgs(disk, spec.diskPaths[disk.key]));
    args.push('-device', diskDeviceArgs(disk, q35, scsi.virtio, position < 0 ? undefined : 100 + position));
  }

  for (const nic of guestNics(config)) {
    // User-mode networking restricted to the guest: the NIC exists (as in PVE) but reaches nothing.
    // romfile= keeps SeaBIOS from looking for iPXE ROMs Debian does not install with qemu-system-x86.
    args.push(
      '-netdev',
      `user,id=${nic.key},restrict=on`,
      '-device',
      `${nic.model},netdev=${nic.key},id=${nic.key}dev,romfile=${nic.mac ? `,mac=${nic.mac}` : ''}`,
    );
  }

  if (spec.linux) {
    const cmdline = `${GUEST_KERNEL_CMDLINE} pvelab.hostname=${spec.linux.hostname}`;
    args.push('-kernel', spec.linux.kernel, '-initrd', spec.linux.initrd, '-append', cmdline);
    args.push('-fw_cfg', `name=${GUEST_PASSWORD_FW_CFG},file=${escapeOption(spec.linux.passwordFile)}`);
  }
  if (spec.incoming) args.push('-incoming', spec.incoming);
  if (spec.loadvm) args.push('-loadvm', spec.loadvm);
  return args;
}
