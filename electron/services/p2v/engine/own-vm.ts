import { guestConfigCall, isPveError, type GuestConfig } from '../../pve';
import type { ClusterPort } from './deps';

/** The job's mark in the VM's notes: a rollback destroys, and a resume takes over, only a VM that carries it. */
export function jobMark(jobId: string): string {
  return `P2V job ${jobId}`;
}

/** PVE's answer for a guest whose config is not there. */
const noSuchGuest = /does not exist/i;

export type VmOwnership = { kind: 'absent' } | { kind: 'ours'; config: GuestConfig } | { kind: 'foreign' };

/** Whether VMID `vmid` on the node is free, the job's own VM (its notes carry the mark), or someone else's. */
export async function vmOwnership(cluster: ClusterPort, target: { profileId: string; node: string; vmid: number }, jobId: string): Promise<VmOwnership> {
  let config: GuestConfig;
  try {
    config = await cluster.send(target.profileId, guestConfigCall(target.node, target.vmid));
  } catch (error) {
    if (isPveError(error, 'SERVER_ERROR') && noSuchGuest.test(error.details.serverMessage)) return { kind: 'absent' };
    throw error;
  }
  return String(config.description ?? '').includes(jobMark(jobId)) ? { kind: 'ours', config } : { kind: 'foreign' };
}
