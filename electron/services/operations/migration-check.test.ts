import { describe, expect, it } from 'vitest';
import type { MigrationPrecondition } from '../pve';
import { migrationCheck, nodeCapacities } from './migration-check';

const precondition: MigrationPrecondition = {
  running: true,
  allowedNodes: ['pve2', 'pve3'],
  refusedNodes: { pve3: ['local-lvm'] },
  localDisks: [
    { volid: 'local:100/vm-100-disk-0.qcow2', drivename: 'scsi0', size: 1024 },
    { volid: 'local:iso/debian.iso', drivename: 'ide2', cdrom: true },
  ],
  localCdroms: ['local:iso/debian.iso'],
  localResources: ['hostpci0'],
  canMigrateConntrack: false,
};

describe('migrationCheck', () => {
  it('lists the other nodes with their free memory and why PVE or their state refuses them', () => {
    const nodes = nodeCapacities([
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', maxmem: 100, mem: 40 },
      { id: 'node/pve2', type: 'node', node: 'pve2', status: 'online', maxmem: 100, mem: 10 },
      { id: 'node/pve3', type: 'node', node: 'pve3', status: 'online', maxmem: 100, mem: 90 },
      { id: 'node/pve4', type: 'node', node: 'pve4', status: 'offline' },
      { id: 'qemu/100', type: 'qemu', node: 'pve1' },
    ]);
    const check = migrationCheck(precondition, nodes, 'pve1');
    expect(check.targets).toEqual([
      { node: 'pve2', online: true, allowed: true, reasons: [], freeMemory: 90 },
      { node: 'pve3', online: true, allowed: false, reasons: ['local-lvm'], freeMemory: 10 },
      { node: 'pve4', online: false, allowed: false, reasons: ['offline'] },
    ]);
    expect(check.running).toBe(true);
    expect(check.localDisks).toEqual([
      { volid: 'local:100/vm-100-disk-0.qcow2', drive: 'scsi0', size: 1024, cdrom: false },
      { volid: 'local:iso/debian.iso', drive: 'ide2', cdrom: true },
    ]);
    expect(check.localResources).toEqual(['hostpci0', 'local:iso/debian.iso (local CD image)']);
  });
});
