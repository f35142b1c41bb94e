import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { GuestSummary, NodeSummaryView } from '../../../../shared/domain/inventory';
import { labProfileId } from './inventory-host';

/** The inventory's route names, each an empty page: the summaries link to them and the tests read where a link goes. */
export function summaryRouter(): Router {
  const names = ['inventory', 'inventory-balance', 'inventory-cluster', 'inventory-node', 'inventory-storage', 'inventory-pool', 'inventory-guest'];
  const paths = [
    '/inventory',
    '/inventory/balance',
    '/inventory/:profileId',
    '/inventory/:profileId/node/:node',
    '/inventory/:profileId/storage/:node/:storage',
    '/inventory/:profileId/pool/:pool',
    '/inventory/:profileId/guest/:vmid',
  ];
  return createRouter({
    history: createMemoryHistory(),
    routes: names.map((name, index) => ({ name, path: paths[index] ?? '/', component: { render: () => null } })),
  });
}

const gib = 1024 ** 3;

/** A running VM 100 on pve1 as inventory.guestSummary would answer for it; tests override what they look at. */
export function guestSummary(overrides: Partial<GuestSummary> = {}): GuestSummary {
  return {
    profileId: labProfileId,
    node: 'pve1',
    vmid: 100,
    name: 'vm-100',
    status: 'running',
    qmpstatus: 'running',
    uptime: 3 * 86_400 + 4 * 3600,
    cpu: 0.25,
    cpus: 4,
    sockets: 1,
    cores: 4,
    cpuType: 'host',
    mem: 2 * gib,
    maxmem: 8 * gib,
    balloon: { min: 2 * gib, actual: 6 * gib },
    ostype: 'l26',
    template: false,
    tags: ['web', 'prod'],
    pool: 'students',
    disks: [
      { key: 'scsi0', volume: 'local-lvm:vm-100-disk-0', size: 32 * gib, media: 'disk' },
      { key: 'ide2', volume: 'none', media: 'cdrom' },
    ],
    nics: [{ key: 'net0', model: 'virtio', mac: 'BC:24:11:00:00:01', bridge: 'vmbr0', vlan: 20, firewall: true, addresses: ['192.0.2.10', '2001:db8::10'] }],
    agent: 'answered',
    description: '# Web server\n\nOwned by **ops**.',
    ...overrides,
  };
}

/** Node pve1 with 16 CPUs, 64 GiB of memory and two storages, as inventory.nodeSummary would answer. */
export function nodeSummary(overrides: Partial<NodeSummaryView> = {}): NodeSummaryView {
  return {
    profileId: labProfileId,
    node: 'pve1',
    status: 'online',
    uptime: 10 * 86_400,
    cpu: 0.125,
    cpus: 16,
    cpuModel: 'AMD EPYC 7302P 16-Core Processor',
    loadavg: [0.5, 0.75, 1.25],
    memory: { used: 16 * gib, total: 64 * gib },
    swap: { used: 0, total: 8 * gib },
    ksmShared: 512 * 1024 * 1024,
    pveVersion: 'pve-manager/8.2.4/faa83925c9641325',
    kernel: 'Linux 6.8.12-1-pve',
    storages: [
      {
        storage: 'local',
        type: 'dir',
        content: ['iso', 'vztmpl', 'backup'],
        shared: false,
        active: true,
        enabled: true,
        used: 50 * gib,
        total: 100 * gib,
        avail: 50 * gib,
      },
      {
        storage: 'local-lvm',
        type: 'lvmthin',
        content: ['images', 'rootdir'],
        shared: false,
        active: true,
        enabled: true,
        used: 95 * gib,
        total: 100 * gib,
        avail: 5 * gib,
      },
    ],
    ...overrides,
  };
}
