/**
 * What the lab's P2V source server answers where this machine's real answers would be wrong for a physical
 * server (a container has no disk, no NIC with a vendor MAC, no initramfs): small shell scripts put first on
 * root's PATH, and the files bound over /etc. Each is listed in lab/README.md ("P2V source server").
 */

/** The fake server's hardware, as its tools describe it. */
export const fakeHardware = {
  hostname: 'srv-legacy01',
  diskModel: 'PERC H730P Mini',
  nics: [
    { name: 'eno1', mac: '18:66:da:5e:2c:10' },
    { name: 'eno2', mac: '18:66:da:5e:2c:11' },
  ],
  /** Installed packages the checklist must flag (Dell OpenManage, a Bacula backup client), among ordinary ones. */
  packages: ['base-files', 'bash', 'openssh-server', 'srvadmin-all', 'srvadmin-idrac', 'bacula-fd', 'vim'],
  /** virtio_scsi is missing on purpose: the checklist must say so. */
  initramfsModules: [
    'drivers/ata/ahci.ko',
    'drivers/scsi/megaraid/megaraid_sas.ko',
    'drivers/virtio/virtio_pci.ko',
    'drivers/block/virtio_blk.ko',
    'drivers/net/virtio_net.ko',
  ],
} as const;

const kernel = '6.1.0-18-amd64';

/** A script printing `text` whatever its arguments. */
function printing(text: string): string {
  return `#!/bin/sh\ncat <<'P2V_LAB_EOF'\n${text}\nP2V_LAB_EOF\n`;
}

/** `lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,PTTYPE,MOUNTPOINTS,FSTYPE` of a disk with one partition mounted on /. */
function lsblkJson(diskBytes: number): string {
  const partitionBytes = diskBytes - 2 * 1024 * 1024;
  return JSON.stringify(
    {
      blockdevices: [
        {
          name: 'sda',
          path: '/dev/sda',
          size: diskBytes,
          type: 'disk',
          model: fakeHardware.diskModel,
          pttype: 'gpt',
          mountpoints: [null],
          fstype: null,
          children: [{ name: 'sda1', path: '/dev/sda1', size: partitionBytes, type: 'part', model: null, pttype: 'gpt', mountpoints: ['/'], fstype: 'ext4' }],
        },
      ],
    },
    null,
    2,
  );
}

/** `ip -j -d link show`: loopback and two onboard Ethernet ports with Dell MACs. */
function ipLinkJson(): string {
  return JSON.stringify([
    { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], mtu: 65536, link_type: 'loopback', address: '00:00:00:00:00:00' },
    ...fakeHardware.nics.map((nic, index) => ({
      ifindex: index + 2,
      ifname: nic.name,
      flags: ['BROADCAST', 'MULTICAST', 'UP'],
      mtu: 1500,
      link_type: 'ether',
      address: nic.mac,
    })),
  ]);
}

/** The scripts of the fake PATH folder (bound over /usr/local/sbin, first on root's PATH), by file name. */
export function fakeTools(diskBytes: number): Record<string, string> {
  return {
    lsblk: printing(lsblkJson(diskBytes)),
    ip: printing(ipLinkJson()),
    lsinitramfs: printing(
      ['.', 'usr', `usr/lib/modules/${kernel}`, ...fakeHardware.initramfsModules.map((module) => `usr/lib/modules/${kernel}/kernel/${module}`)].join('\n'),
    ),
    // The probe asks for `${Status}\t${Package}` lines and keeps the installed ones.
    'dpkg-query': printing(fakeHardware.packages.map((name) => `install ok installed\t${name}`).join('\n')),
  };
}

/** /etc/fstab of a server installed years ago: the root filesystem by kernel device name, swap by UUID. */
export const fakeFstab = [
  '# /etc/fstab: static file system information.',
  '/dev/sda1 / ext4 errors=remount-ro 0 1',
  'UUID=6f1b7f8e-2a44-4c55-9d0e-3b1f5a7c9e21 none swap sw 0 0',
  '',
].join('\n');

/** What answers as `perl` on a server started with `perl: false`: a shell's "not found". */
export const noPerl = '#!/bin/sh\necho "perl: command not found" >&2\nexit 127\n';
