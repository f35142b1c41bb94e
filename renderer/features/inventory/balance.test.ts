import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { clusterBalance, clusterShares } from './balance';
import { entryKey, type InventoryEntry } from './inventory-store';

const gib = 1024 ** 3;

function entries(profileId: string, items: InventoryItem[]): InventoryEntry[] {
  return items.map((item) => ({ key: entryKey(profileId, item.id), profileId, item }));
}

function node(name: string, cpus: number, memoryGib: number, status = 'online'): InventoryItem {
  return { id: `node/${name}`, type: 'node', node: name, status, maxcpu: cpus, maxmem: memoryGib * gib };
}

function guest(vmid: number, on: string, status: string, cpus: number, memoryGib: number, usedGib = 0, extra: Partial<InventoryItem> = {}): InventoryItem {
  return { id: `qemu/${vmid}`, type: 'qemu', vmid, node: on, status, maxcpu: cpus, maxmem: memoryGib * gib, mem: usedGib * gib, ...extra };
}

describe('balance of one cluster', () => {
  it('sums configured vCPUs and memory per node and in total, used memory of running guests only', () => {
    const balance = clusterBalance(
      'prod',
      entries('prod', [
        node('pve2', 32, 128),
        node('pve1', 16, 64),
        guest(100, 'pve1', 'running', 4, 8, 6),
        guest(101, 'pve1', 'stopped', 2, 4, 3),
        guest(102, 'pve2', 'running', 8, 32, 20),
        { id: 'lxc/200', type: 'lxc', vmid: 200, node: 'pve2', status: 'running', maxcpu: 1, maxmem: gib, mem: gib / 2 },
        { id: 'storage/pve1/local', type: 'storage', node: 'pve1', storage: 'local', maxdisk: 1000 * gib, disk: 10 * gib },
      ]),
    );
    expect(balance.nodes.map((row) => row.node)).toEqual(['pve1', 'pve2']);
    expect(balance.nodes[0]).toEqual({
      node: 'pve1',
      online: true,
      running: 1,
      guests: 2,
      vcpus: 6,
      cpus: 16,
      memoryConfigured: 12 * gib,
      memoryUsed: 6 * gib,
      memory: 64 * gib,
    });
    expect(balance.nodes[1]).toMatchObject({ running: 2, guests: 2, vcpus: 9, cpus: 32, memoryConfigured: 33 * gib, memoryUsed: 20.5 * gib });
    expect(balance).toMatchObject({
      profileId: 'prod',
      running: 3,
      guests: 4,
      vcpus: 15,
      cpus: 48,
      memoryConfigured: 45 * gib,
      memoryUsed: 26.5 * gib,
      memory: 192 * gib,
      offlineNodes: 0,
    });
  });

  it('leaves templates out and ignores missing or malformed figures', () => {
    const balance = clusterBalance(
      'lab',
      entries('lab', [
        node('pve1', 8, 16),
        guest(100, 'pve1', 'stopped', 4, 8, 0, { template: true }),
        { id: 'qemu/101', type: 'qemu', vmid: 101, node: 'pve1', status: 'running', maxcpu: Number.NaN, mem: -5 },
        guest(102, 'pve1', 'running', 2, 2, 1),
      ]),
    );
    expect(balance).toMatchObject({ guests: 2, running: 2, vcpus: 2, memoryConfigured: 2 * gib, memoryUsed: gib });
  });

  it('counts no capacity on an offline node but still counts the guests configured there', () => {
    const balance = clusterBalance('prod', entries('prod', [node('pve1', 16, 64), node('pve2', 16, 64, 'offline'), guest(100, 'pve2', 'stopped', 4, 8)]));
    expect(balance.offlineNodes).toBe(1);
    expect(balance.nodes[1]).toMatchObject({ node: 'pve2', online: false, cpus: 0, memory: 0, guests: 1, vcpus: 4 });
    expect(balance).toMatchObject({ cpus: 16, memory: 64 * gib, vcpus: 4 });
  });

  it('gives a guest whose node is not listed a row of its own, neither online nor offline', () => {
    const balance = clusterBalance('restricted', entries('restricted', [guest(100, 'pve3', 'running', 2, 4, 1)]));
    expect(balance.nodes).toEqual([{ node: 'pve3', running: 1, guests: 1, vcpus: 2, cpus: 0, memoryConfigured: 4 * gib, memoryUsed: gib, memory: 0 }]);
    expect(balance.offlineNodes).toBe(0);
  });

  it('is all zeros for a cluster with nothing in it', () => {
    expect(clusterBalance('empty', [])).toEqual({
      profileId: 'empty',
      nodes: [],
      offlineNodes: 0,
      running: 0,
      guests: 0,
      vcpus: 0,
      cpus: 0,
      memoryConfigured: 0,
      memoryUsed: 0,
      memory: 0,
    });
  });
});

describe('shares of several clusters', () => {
  it('shows a 75 % / 25 % pair of clusters and where the load sits', () => {
    const prod = clusterBalance('prod', entries('prod', [node('pve1', 48, 192), guest(100, 'pve1', 'running', 8, 16, 10)]));
    const preprod = clusterBalance('preprod', entries('preprod', [node('pve1', 16, 64), guest(100, 'pve1', 'running', 8, 16, 30)]));
    const [first, second] = clusterShares([prod, preprod]);
    expect(first).toEqual({
      profileId: 'prod',
      capacity: { cpus: 0.75, memory: 0.75 },
      load: { vcpus: 0.5, memoryConfigured: 0.5, memoryUsed: 0.25, running: 0.5 },
    });
    expect(second).toEqual({
      profileId: 'preprod',
      capacity: { cpus: 0.25, memory: 0.25 },
      load: { vcpus: 0.5, memoryConfigured: 0.5, memoryUsed: 0.75, running: 0.5 },
    });
  });

  it('gives an empty cluster no share and divides nothing by zero', () => {
    const shares = clusterShares([clusterBalance('a', []), clusterBalance('b', [])]);
    expect(shares).toEqual([
      { profileId: 'a', capacity: { cpus: 0, memory: 0 }, load: { vcpus: 0, memoryConfigured: 0, memoryUsed: 0, running: 0 } },
      { profileId: 'b', capacity: { cpus: 0, memory: 0 }, load: { vcpus: 0, memoryConfigured: 0, memoryUsed: 0, running: 0 } },
    ]);
    expect(clusterShares([])).toEqual([]);
  });
});
