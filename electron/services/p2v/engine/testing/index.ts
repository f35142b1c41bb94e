/** Test helpers of the engine's unit tests: a plan, job ids. */
import type { P2vPlan } from '../../../../../shared/domain/p2v';

export const testPlan: P2vPlan = {
  source: { kind: 'workstation', path: '/images/server.raw', format: 'raw' },
  target: {
    profileId: '0b7c1e2a-3d4f-4a5b-8c6d-7e8f90a1b2c3',
    node: 'pve1',
    storage: 'local',
    format: 'qcow2',
    vmid: 150,
    name: 'server',
    ostype: 'l26',
    firmware: 'seabios',
    diskBus: 'scsi',
    cores: 2,
    sockets: 1,
    memoryMiB: 2048,
    nic: { model: 'virtio', bridge: 'vmbr0' },
    agent: true,
  },
  start: false,
};

/** The `n`th job id (32 hex). */
export function jobId(n: number): string {
  return n.toString(16).padStart(32, '0');
}
