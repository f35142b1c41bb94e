import type { StorageView } from '../../../../shared/domain/operations';
import type { ImageInspection, P2vJobView, P2vPlan } from '../../../../shared/domain/p2v';
import type { FakeIpc } from '../../../testing';
import { clusterFeed, labProfileId, nodeItem, serveInventory } from '../../inventory/testing';

export const gib = 1024 ** 3;

export function storage(name: string, type: string, avail: number): StorageView {
  return { storage: name, type, content: ['images'], shared: false, active: true, avail, total: avail * 2, used: avail };
}

export function inspection(overrides: Partial<ImageInspection> = {}): ImageInspection {
  return {
    format: 'raw',
    virtualSize: 8 * gib,
    allocatedSize: 2 * gib,
    partitionTable: 'gpt',
    firmwareProposal: 'ovmf',
    measure: { qcow2: { required: 2 * gib, fullyAllocated: 8 * gib }, raw: { required: 8 * gib, fullyAllocated: 8 * gib } },
    warnings: [],
    ...overrides,
  };
}

export const plan: P2vPlan = {
  source: { kind: 'workstation', path: '/images/web.img', format: 'raw' },
  target: {
    profileId: labProfileId,
    node: 'pve1',
    storage: 'local',
    format: 'qcow2',
    vmid: 101,
    name: 'web',
    ostype: 'l26',
    firmware: 'ovmf',
    diskBus: 'scsi',
    cores: 4,
    sockets: 1,
    memoryMiB: 4096,
    nic: { model: 'virtio', bridge: 'vmbr0' },
    agent: true,
  },
  start: true,
};

export function jobView(overrides: Partial<P2vJobView> = {}): P2vJobView {
  return {
    id: 'a'.repeat(32),
    plan,
    state: 'running',
    steps: [
      { id: 'inspect', state: 'done', startedAt: '2026-01-01T10:00:00Z', endedAt: '2026-01-01T10:00:02Z' },
      { id: 'prepare', state: 'done', startedAt: '2026-01-01T10:00:02Z', endedAt: '2026-01-01T10:00:03Z' },
      { id: 'transfer', state: 'running', startedAt: '2026-01-01T10:00:03Z', bytes: 512 * 1024 ** 2 },
      ...(['create-vm', 'verify', 'import-disk', 'configure', 'start'] as const).map((id) => ({ id, state: 'pending' as const })),
    ],
    created: [],
    cleaned: [],
    createdAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-01T10:00:13Z',
    ...overrides,
  };
}

/** A lab cluster with two nodes, a file and a block storage, a bridge, no migration yet. */
export function serveCluster(fake: FakeIpc): void {
  serveInventory(fake, [{ feed: clusterFeed(), items: [nodeItem('pve1', { maxmem: 32 * gib, mem: 8 * gib }), nodeItem('pve2')] }]);
  fake.answer('operations.nextVmid', () => 101);
  fake.answer('operations.storages', ({ content }) =>
    content === 'iso'
      ? [{ ...storage('local', 'dir', 50 * gib), content: ['iso'] }]
      : [storage('local-lvm', 'lvmthin', 4 * gib), storage('local', 'dir', 60 * gib)],
  );
  fake.answer('operations.volumes', () => [{ volid: 'local:iso/virtio-win.iso', content: 'iso', format: 'iso', size: 600 * 1024 ** 2 }]);
  fake.answer('operations.bridges', () => ['vmbr0']);
  fake.answer('p2v.list', () => []);
  fake.answer('jobs.list', () => []);
}
