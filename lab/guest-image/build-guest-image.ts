/**
 * Builds the tiny Linux the lab boots in "live" guests: Debian's own kernel
 * (from /boot; CI installs the linux-image-amd64 package) plus a busybox
 * initramfs assembled here. The initramfs is cached under a name derived
 * from the hash of everything that goes into it, so a second call (or a
 * second lab) reuses it and a change in busybox, kernel modules or the init
 * script produces a new one.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { writeCpioNewc, type CpioEntry } from './cpio';
import { ETC_FILES, INIT_SCRIPT, POWER_BUTTON_HANDLER } from './guest-files';

const execFileAsync = promisify(execFile);

export interface GuestImage {
  kernel: string;
  initrd: string;
}

/** Kernel command line the runtime passes with -append (plus pvelab.hostname=). */
export const GUEST_KERNEL_CMDLINE = 'console=tty0 console=ttyS0,115200 quiet panic=5 mitigations=off';
/** The fw_cfg file that carries root's password into the guest; /init reads it from sysfs. */
export const GUEST_PASSWORD_FW_CFG = 'opt/org.pvelab/password';

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];
/** Modules the guest needs for the ACPI power button and for reading fw_cfg files; none has dependencies in Debian's kernel. */
const MODULES = ['kernel/drivers/input/evdev.ko', 'kernel/drivers/acpi/button.ko', 'kernel/drivers/firmware/qemu_fw_cfg.ko'];
/**
 * Disk, NIC and virtio-serial drivers, each after what it depends on (Debian builds them as modules): the guest sees its
 * SCSI (sda…, LSI or VirtIO SCSI) and VirtIO (vda…) disks, VirtIO NICs, hot-plugged ones too, so tests can read and write
 * them, and its virtio-serial ports.
 * /init loads them in this order from `etc/modules`.
 */
const DEVICE_MODULES = [
  ...['kernel/drivers/scsi/scsi_common.ko', 'kernel/drivers/scsi/scsi_mod.ko', 'kernel/crypto/crct10dif_common.ko', 'kernel/lib/crc-t10dif.ko'],
  ...['kernel/lib/crc64.ko', 'kernel/lib/crc64-rocksoft.ko', 'kernel/block/t10-pi.ko', 'kernel/drivers/scsi/sd_mod.ko'],
  ...['kernel/drivers/scsi/scsi_transport_spi.ko', 'kernel/drivers/scsi/sym53c8xx_2/sym53c8xx.ko', 'kernel/drivers/virtio/virtio_ring.ko'],
  ...['kernel/drivers/virtio/virtio.ko', 'kernel/drivers/virtio/virtio_pci_modern_dev.ko', 'kernel/drivers/virtio/virtio_pci_legacy_dev.ko'],
  ...['kernel/drivers/virtio/virtio_pci.ko', 'kernel/drivers/scsi/virtio_scsi.ko', 'kernel/drivers/block/virtio_blk.ko', 'kernel/net/core/failover.ko'],
  ...['kernel/drivers/net/net_failover.ko', 'kernel/drivers/net/virtio_net.ko'],
  // virtio-serial ports (/dev/vport<N>p<M>): the SPICE agent's `com.redhat.spice.0`, where a test speaks the agent protocol.
  'kernel/drivers/char/virtio_console.ko',
];

/** The newest /boot/vmlinuz-* with its matching /lib/modules tree. */
export async function findDebianKernel(): Promise<{ kernel: string; release: string }> {
  const names = existsSync('/boot') ? await readdir('/boot') : [];
  const releases = names
    .filter((name) => name.startsWith('vmlinuz-'))
    .map((name) => name.slice('vmlinuz-'.length))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const release = releases.at(-1);
  if (!release) {
    throw new Error('no kernel under /boot/vmlinuz-*: install the Debian package linux-image-amd64');
  }
  return { kernel: `/boot/vmlinuz-${release}`, release };
}

async function findBusybox(): Promise<string> {
  const path = BUSYBOX_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!path) throw new Error('busybox not found: install the Debian package busybox-static');
  return path;
}

async function busyboxApplets(busybox: string): Promise<string[]> {
  const { stdout } = await execFileAsync(busybox, ['--list']);
  return stdout.split('\n').filter((name) => /^[\w.[\]-]+$/.test(name) && name !== 'busybox');
}

async function initramfsEntries(busybox: string, release: string): Promise<CpioEntry[]> {
  const entries: CpioEntry[] = [];
  for (const dir of [
    'bin',
    'sbin',
    'dev',
    'proc',
    'sys',
    'tmp',
    'root',
    'etc',
    'etc/acpi',
    'etc/acpi/PWRF',
    'lib',
    'lib/modules',
    'var',
    'var/log',
    'var/run',
  ]) {
    entries.push({ kind: 'dir', path: dir, mode: dir === 'tmp' ? 0o1777 : dir === 'root' ? 0o700 : 0o755 });
  }
  entries.push({ kind: 'file', path: 'bin/busybox', data: await readFile(busybox), mode: 0o755 });
  for (const applet of await busyboxApplets(busybox)) {
    entries.push({ kind: 'symlink', path: `bin/${applet}`, target: 'busybox' });
    entries.push({ kind: 'symlink', path: `sbin/${applet}`, target: '../bin/busybox' });
  }
  for (const module of [...MODULES, ...DEVICE_MODULES]) {
    const data = await readFile(`/lib/modules/${release}/${module}`);
    entries.push({ kind: 'file', path: `lib/modules/${module.split('/').at(-1) ?? module}`, data });
  }
  entries.push({ kind: 'file', path: 'etc/modules', data: DEVICE_MODULES.map((module) => module.split('/').at(-1)).join('\n') + '\n' });
  for (const [path, text] of Object.entries(ETC_FILES)) entries.push({ kind: 'file', path, data: text });
  entries.push({ kind: 'file', path: 'etc/acpi/PWRF/00000080', data: POWER_BUTTON_HANDLER, mode: 0o755 });
  entries.push({ kind: 'file', path: 'init', data: INIT_SCRIPT, mode: 0o755 });
  return entries;
}

/**
 * Returns the kernel and a gzip'd newc initramfs for lab guests, building the
 * initramfs into `cacheDir` the first time its inputs are seen.
 */
export async function buildGuestImage(cacheDir: string): Promise<GuestImage> {
  const { kernel, release } = await findDebianKernel();
  const busybox = await findBusybox();
  const archive = writeCpioNewc(await initramfsEntries(busybox, release));
  const key = createHash('sha256')
    .update(archive)
    .update(await readFile(kernel))
    .digest('hex')
    .slice(0, 16);
  const initrd = join(cacheDir, `lab-guest-${key}.initrd.gz`);
  if (!existsSync(initrd)) {
    await mkdir(cacheDir, { recursive: true });
    // Written beside the final name and renamed, so a concurrent builder never sees half a file.
    const partial = `${initrd}.${process.pid}.partial`;
    await writeFile(partial, gzipSync(archive, { level: 6 }));
    await rename(partial, initrd);
  }
  return { kernel, initrd };
}
