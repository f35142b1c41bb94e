import { createHash } from 'node:crypto';
import type { GuestConfig } from '../contracts';
import type { ClusterModel, LabGuest } from './model';

/** A stable MAC in Proxmox's BC:24:11 range, derived from the vmid and NIC index. */
function mac(vmid: number, index = 0): string {
  const h = createHash('sha1').update(`${vmid}:${index}`).digest();
  return ['BC', '24', '11', ...[h[0], h[1], h[2]].map((b) => (b ?? 0).toString(16).toUpperCase().padStart(2, '0'))].join(':');
}

function uuid(vmid: number, salt: string): string {
  const h = createHash('sha1').update(`${salt}:${vmid}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface SeedGuest {
  vmid: number;
  name: string;
  node: number; // index into the cluster's nodes (wraps around)
  os: 'l26' | 'win11' | 'win10' | 'win2k22' | 'win2k19';
  memory: number;
  cores: number;
  diskGiB: number;
  storage?: 'local' | 'shared';
  pool?: string;
  tags?: string;
  notes?: string;
  template?: boolean;
  hastate?: string;
  extra?: GuestConfig;
}

/** The institute's inventory: services, PXE reference images, pre-production, and the two live lab guests. */
const INSTITUTE: SeedGuest[] = [
  {
    vmid: 100,
    name: 'debian-lab',
    node: 0,
    os: 'l26',
    memory: 128,
    cores: 1,
    diskGiB: 1,
    storage: 'shared',
    pool: 'students',
    tags: 'lab;linux',
    notes: 'Small Debian kernel + busybox guest. Serial console on serial0, VNC clipboard on.',
    extra: { serial0: 'socket', vga: 'std,clipboard=vnc', onboot: '1', agent: '0' },
  },
  {
    vmid: 101,
    name: 'spice-desktop',
    node: 1,
    os: 'l26',
    memory: 128,
    cores: 1,
    diskGiB: 1,
    pool: 'students',
    tags: 'lab;linux;spice',
    notes: 'SPICE display (qxl) with USB redirection.',
    extra: { serial0: 'socket', vga: 'qxl', usb0: 'spice', onboot: '1' },
  },
  {
    vmid: 102,
    name: 'student-win11',
    node: 2,
    os: 'win11',
    memory: 4096,
    cores: 2,
    diskGiB: 64,
    pool: 'students',
    tags: 'windows;student',
    notes: 'Student desktop (Windows 11).',
    extra: { vga: 'qxl', usb0: 'spice', bios: 'ovmf', machine: 'pc-q35-8.1' },
  },
  {
    vmid: 110,
    name: 'dc01',
    node: 0,
    os: 'win2k22',
    memory: 8192,
    cores: 4,
    diskGiB: 80,
    pool: 'services',
    tags: 'ad;production;windows',
    notes: 'Active Directory domain controller (INSTITUTE.LOCAL).',
  },
  {
    vmid: 111,
    name: 'print01',
    node: 1,
    os: 'win2k19',
    memory: 4096,
    cores: 2,
    diskGiB: 60,
    pool: 'services',
    tags: 'production;windows',
    notes: 'Print server, follow-me queues.',
  },
  {
    vmid: 112,
    name: 'av01',
    node: 2,
    os: 'win2k22',
    memory: 6144,
    cores: 2,
    diskGiB: 100,
    pool: 'services',
    tags: 'production;security;windows',
    notes: 'Antivirus management console.',
  },
  {
    vmid: 113,
    name: 'ldap01',
    node: 0,
    os: 'l26',
    memory: 2048,
    cores: 2,
    diskGiB: 16,
    storage: 'shared',
    pool: 'services',
    tags: 'linux;production',
    notes: 'OpenLDAP for Linux logins.',
    hastate: 'stopped',
  },
  {
    vmid: 114,
    name: 'mysql01',
    node: 1,
    os: 'l26',
    memory: 8192,
    cores: 4,
    diskGiB: 120,
    pool: 'services',
    tags: 'db;linux;production',
    notes: 'MySQL 8 for ownCloud and the intranet.',
  },
  {
    vmid: 115,
    name: 'owncloud01',
    node: 2,
    os: 'l26',
    memory: 4096,
    cores: 2,
    diskGiB: 40,
    pool: 'services',
    tags: 'linux;production;web',
    notes: 'ownCloud server.',
  },
  {
    vmid: 116,
    name: 'web01',
    node: 0,
    os: 'l26',
    memory: 2048,
    cores: 2,
    diskGiB: 20,
    pool: 'services',
    tags: 'linux;production;web',
    notes: 'Public web site (nginx).',
  },
  {
    vmid: 117,
    name: 'tomcat01',
    node: 1,
    os: 'l26',
    memory: 4096,
    cores: 2,
    diskGiB: 30,
    pool: 'services',
    tags: 'java;linux;production',
    notes: 'Tomcat for the library application.',
  },
  {
    vmid: 118,
    name: 'puppet01',
    node: 2,
    os: 'l26',
    memory: 4096,
    cores: 2,
    diskGiB: 30,
    pool: 'services',
    tags: 'linux;production',
    notes: 'Puppet server for the lab PCs.',
  },
  {
    vmid: 200,
    name: 'preprod-web01',
    node: 0,
    os: 'l26',
    memory: 2048,
    cores: 2,
    diskGiB: 20,
    pool: 'preprod',
    tags: 'linux;preprod;web',
    notes: 'Pre-production of web01.',
  },
  {
    vmid: 201,
    name: 'preprod-owncloud',
    node: 1,
    os: 'l26',
    memory: 4096,
    cores: 2,
    diskGiB: 40,
    pool: 'preprod',
    tags: 'linux;preprod',
    notes: 'ownCloud upgrade rehearsal.',
  },
  { vmid: 202, name: 'preprod-tomcat', node: 2, os: 'l26', memory: 4096, cores: 2, diskGiB: 30, pool: 'preprod', tags: 'java;linux;preprod' },
  { vmid: 203, name: 'preprod-mysql', node: 0, os: 'l26', memory: 4096, cores: 2, diskGiB: 60, pool: 'preprod', tags: 'db;linux;preprod' },
  {
    vmid: 9000,
    name: 'pxe-ref-debian12',
    node: 0,
    os: 'l26',
    memory: 2048,
    cores: 2,
    diskGiB: 16,
    storage: 'shared',
    pool: 'pxe',
    tags: 'pxe;reference',
    template: true,
    notes: 'PXE reference image: Debian 12 lab PC.',
    extra: { boot: 'order=net0;scsi0' },
  },
  {
    vmid: 9001,
    name: 'pxe-ref-ubuntu2404',
    node: 1,
    os: 'l26',
    memory: 2048,
    cores: 2,
    diskGiB: 20,
    storage: 'shared',
    pool: 'pxe',
    tags: 'pxe;reference',
    template: true,
    notes: 'PXE reference image: Ubuntu 24.04 lab PC.',
    extra: { boot: 'order=net0;scsi0' },
  },
  {
    vmid: 9002,
    name: 'pxe-ref-win11',
    node: 2,
    os: 'win11',
    memory: 4096,
    cores: 2,
    diskGiB: 64,
    storage: 'shared',
    pool: 'pxe',
    tags: 'pxe;reference;windows',
    template: true,
    notes: 'PXE reference image: Windows 11 lab PC (sysprepped).',
    extra: { boot: 'order=net0;sata0' },
  },
];

const POOLS: Record<string, string> = {
  students: 'VMs of the student end user',
  services: 'Institute services',
  preprod: 'Pre-production',
  pxe: 'PXE reference images',
};

function buildConfig(seed: Omit<SeedGuest, 'node' | 'pool' | 'hastate'>): GuestConfig {
  const windows = seed.os.startsWith('win');
  const bus = windows && seed.os !== 'win11' ? 'sata0' : 'scsi0';
  const disk = `${seed.storage ?? 'local'}:${seed.vmid}/vm-${seed.vmid}-disk-0.qcow2,size=${seed.diskGiB}G${windows ? '' : ',discard=on'}`;
  const config: GuestConfig = {
    name: seed.name,
    memory: String(seed.memory),
    cores: String(seed.cores),
    sockets: '1',
    cpu: 'x86-64-v2-AES',
    ostype: seed.os,
    scsihw: 'virtio-scsi-single',
    [bus]: disk,
    ide2: 'none,media=cdrom',
    net0: `${windows ? 'e1000' : 'virtio'}=${mac(seed.vmid)},bridge=vmbr0${windows ? '' : ',firewall=1'}`,
    boot: `order=${bus};ide2;net0`,
    smbios1: `uuid=${uuid(seed.vmid, 'smbios')}`,
    vmgenid: uuid(seed.vmid, 'vmgenid'),
    meta: `creation-qemu=9.2.0,ctime=${1_700_000_000 + seed.vmid * 3600}`,
    agent: windows ? '0' : '1',
  };
  if (seed.tags) config.tags = seed.tags;
  if (seed.notes) config.description = seed.notes;
  if (seed.template) config.template = '1';
  return { ...config, ...seed.extra };
}

export function seedInstitute(model: ClusterModel): void {
  for (const [poolid, comment] of Object.entries(POOLS)) model.pools.set(poolid, { poolid, comment });
  for (const seed of INSTITUTE) {
    const node = model.nodes[seed.node % model.nodes.length];
    if (!node) continue;
    const guest: LabGuest = { vmid: seed.vmid, node: node.name, config: buildConfig(seed), snapshots: [] };
    if (seed.pool) guest.pool = seed.pool;
    if (seed.hastate) guest.hastate = seed.hastate;
    model.guests.set(seed.vmid, guest);
  }
}

/** `--guests N`: stopped scale-test guests spread over the nodes; nothing on disk until started. */
export function addSyntheticGuests(model: ClusterModel, count: number): void {
  let vmid = 1000;
  for (let i = 0; i < count; i++) {
    while (model.guests.has(vmid)) vmid++;
    const node = model.nodes[i % model.nodes.length];
    if (!node) break;
    const config = buildConfig({ vmid, name: `scale-${vmid}`, os: 'l26', memory: 64, cores: 1, diskGiB: 1, tags: 'scale' });
    model.guests.set(vmid, { vmid, node: node.name, config, snapshots: [], synthetic: true });
    vmid++;
  }
}
