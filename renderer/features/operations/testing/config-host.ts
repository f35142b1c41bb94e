import type { GuestConfigView, PendingEntry } from '../../../../shared/domain/operations';
import type { PermissionMap } from '../../../../shared/domain/permissions';
import type { FakeIpc } from '../../../testing';
import { jobView, serveJobs } from '../../tasks/testing/jobs-host';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../../inventory/testing/inventory-host';
import { guestSummary } from '../../inventory/testing/summary-host';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';

export const digestA = 'a'.repeat(40);
export const digestB = 'b'.repeat(40);
const gib = 1024 ** 3;

/** VM 100's config as `operations.config` answers it: running, with changes waiting for its next start. */
export function pendingConfig(overrides: Partial<GuestConfigView> = {}): GuestConfigView {
  const entries: PendingEntry[] = [
    { key: 'memory', value: 4096, pending: 8192 },
    { key: 'balloon', value: 2048 },
    { key: 'sockets', value: 1 },
    { key: 'cores', value: 2 },
    { key: 'cpu', value: 'x86-64-v2-AES' },
    { key: 'scsihw', value: 'virtio-scsi-single' },
    { key: 'scsi0', value: `local-lvm:vm-100-disk-0,iothread=1,size=${32 * gib}` },
    { key: 'scsi1', value: 'local:100/vm-100-disk-1.qcow2,size=8G', delete: 1 },
    { key: 'ide2', value: 'local:iso/debian.iso,media=cdrom' },
    { key: 'net0', value: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20' },
    { key: 'net1', pending: 'e1000=BC:24:11:00:00:02,bridge=vmbr1' },
    { key: 'unused0', value: 'local:100/vm-100-disk-2.raw' },
    { key: 'boot', value: 'order=scsi0;ide2;net0' },
    { key: 'name', value: 'web-01' },
    { key: 'onboot', value: 1 },
    { key: 'ostype', value: 'l26' },
  ];
  return { digest: digestA, entries, running: true, ...overrides };
}

/** The pages a guest tab links to, each empty: enough for the header's links and the tab's own route. */
export function operationsRouter(): Router {
  const routes = [
    ['inventory', '/inventory'],
    ['inventory-node', '/inventory/:profileId/node/:node'],
    ['inventory-guest', '/inventory/:profileId/guest/:vmid'],
    ['operations-guest-hardware', '/operations/:profileId/guest/:vmid/hardware'],
    ['operations-guest-options', '/operations/:profileId/guest/:vmid/options'],
    ['operations-guest-ha', '/operations/:profileId/guest/:vmid/ha'],
  ] as const;
  return createRouter({ history: createMemoryHistory(), routes: routes.map(([name, path]) => ({ name, path, component: { render: () => null } })) });
}

/** What PVEVMAdmin gives on a guest, plus Sys.Audit. */
export const adminPrivileges: Record<string, 0 | 1> = Object.fromEntries(
  [
    'VM.Audit',
    'VM.PowerMgmt',
    'VM.Config.Memory',
    'VM.Config.CPU',
    'VM.Config.Disk',
    'VM.Config.Network',
    'VM.Config.CDROM',
    'VM.Config.Options',
    'Sys.Audit',
  ].map((privilege) => [privilege, 1]),
);

/** The inventory with VM 100 running on pve1, the jobs list, and `operations.config` answering `config()` each time. */
export function serveGuestConfig(fake: FakeIpc, config: () => GuestConfigView, permissions: PermissionMap = { '/': adminPrivileges }) {
  serveInventory(fake, [{ feed: clusterFeed(), items: [nodeItem('pve1'), guestItem(100, { name: 'web-01', hastate: 'started' })], permissions }]);
  const jobs = serveJobs(fake);
  fake.answer('operations.config', () => config());
  fake.answer('operations.updateConfig', () => jobView({ kind: 'pve:qmconfig', state: 'succeeded' }));
  fake.answer('inventory.guestSummary', () => guestSummary({ balloon: { min: 2 * gib, actual: 3 * gib } }));
  return { jobs, profileId: labProfileId };
}
