/**
 * The text files of the guest's busybox root: /init and what busybox init,
 * getty, login and acpid read. Kept apart from the archive plumbing so the
 * guest's behaviour can be read in one place.
 *
 * Behaviour of a booted guest:
 * - hostname from `pvelab.hostname=` on the kernel command line (default `lab-guest`);
 * - account `root` whose password is the fw_cfg file opt/org.pvelab/password
 *   (locked when there is none), checked by busybox `login` against /etc/shadow
 *   (sha512-crypt);
 * - a `getty` on tty1 (the VGA console, what VNC/SPICE show) and, when the
 *   machine has a UART at ttyS0 (config `serial0: socket`), one on ttyS0 too.
 *   Both print `<hostname> login: ` and re-print it on an empty line, so a
 *   client that connects later sends "\r" to get a fresh prompt;
 * - busybox `acpid` turns the ACPI power button (QMP system_powerdown) into
 *   `poweroff`, so PVE-style shutdowns end the QEMU process.
 */

export const INIT_SCRIPT = `#!/bin/busybox sh
# PID 1 of the lab guest: set up the system, then hand over to busybox init.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mkdir -p /dev/pts /dev/shm
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox mount -t tmpfs tmpfs /tmp
export PATH=/bin:/sbin

name=lab-guest
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    pvelab.hostname=*) name="\${arg#*=}" ;;
  esac
done
hostname "$name"
echo "$name" > /etc/hostname
# The password comes as a fw_cfg file, not on the kernel command line the host's ps would show.
insmod /lib/modules/qemu_fw_cfg.ko 2>/dev/null
password_file=/sys/firmware/qemu_fw_cfg/by_name/opt/org.pvelab/password/raw
umask 077
if [ -r "$password_file" ]; then
  # "--": a password may start with a dash (1 in 64 of the lab's random ones), which mkpasswd would take for an option.
  echo "root:$(mkpasswd -m sha512 -- "$(cat "$password_file")"):19000:0:99999:7:::" > /etc/shadow
else
  echo "root:*:19000:0:99999:7:::" > /etc/shadow
fi
umask 022

# Disk and NIC drivers, in dependency order (etc/modules).
for module in $(cat /etc/modules); do insmod "/lib/modules/$module" 2>/dev/null; done

# The power button reaches userspace through evdev; acpid runs /etc/acpi/PWRF/00000080.
insmod /lib/modules/evdev.ko 2>/dev/null
insmod /lib/modules/button.ko 2>/dev/null
acpid -c /etc/acpi -l /var/log/acpid.log

{
  echo "tty1::respawn:/sbin/getty 38400 tty1 linux"
  # A getty on a missing UART would exit and be respawned in a tight loop.
  if grep -q '^0: uart:16550' /proc/tty/driver/serial; then
    echo "ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100"
  fi
  echo "::ctrlaltdel:/sbin/reboot"
  echo "::shutdown:/bin/sync"
} > /etc/inittab

exec /sbin/init
`;

export const POWER_BUTTON_HANDLER = `#!/bin/sh
exec /sbin/poweroff
`;

export const ETC_FILES: Record<string, string> = {
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
  'etc/group': 'root:x:0:\n',
  'etc/shells': '/bin/sh\n',
  'etc/issue': 'PVE Desk lab guest (busybox) \\n \\l\n\n',
  'etc/profile': 'export PATH=/bin:/sbin\nexport PS1="\\h:\\w# "\ncd /root\n',
};
