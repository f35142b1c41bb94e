import type { P2vArtifact } from '../../../../shared/domain/p2v';
import { deleteVolumeCall, destroyGuestCall, guestStatusCall } from '../../pve';
import { removePath } from '../node';
import type { MigrationDeps } from './deps';
import type { P2vJobRecord } from './job-record';
import type { ArtifactCleaner } from './rollback';
import { vmOwnership } from './own-vm';

/** Removes what a migration created: its VM (and with it every disk it holds), volumes, node files, SSH-side leftovers. */
export function artifactCleaner(deps: MigrationDeps): ArtifactCleaner {
  return {
    clean: async (record, artifact) => {
      const { target, source } = record.view.plan;
      const node = artifact.node ?? target.node;
      switch (artifact.kind) {
        case 'node-file':
          return removePath(await deps.nodeShell({ profileId: target.profileId, node }), artifact.ref);
        case 'vm':
          return destroyOwnVm(deps, record, node, Number(artifact.ref));
        case 'volume':
          // A volume of the job's VMID belongs to its VM once made: destroying the VM removes it with the VM's other
          // disks. Freeing it then is harmless (PVE warns that it is gone), and needed when the VM was never made.
          if (record.view.created.some((entry) => entry.kind === 'vm')) await destroyOwnVm(deps, record, node, target.vmid);
          return deleteVolume(deps, target.profileId, node, artifact);
        case 'ssh-key':
        case 'lvm-snapshot':
          if (source.kind !== 'ssh') return;
          return deps.sshSource.cleanup(source, artifact);
      }
    },
  };
}

/** Stops and destroys the VM (purged, unreferenced disks too) only when its notes carry this job's mark. */
async function destroyOwnVm(deps: MigrationDeps, record: P2vJobRecord, node: string, vmid: number): Promise<void> {
  const { profileId } = record.view.plan.target;
  // Gone already, or someone else's (a VMID taken in between): nothing of the job's to remove.
  if ((await vmOwnership(deps.cluster, { profileId, node, vmid }, record.view.id)).kind !== 'ours') return;
  const status = await deps.cluster.send(profileId, guestStatusCall(node, vmid));
  if (status.status === 'running') await deps.cluster.waitTask(profileId, await deps.cluster.client(profileId).guestPower(node, vmid, 'stop'));
  await deps.cluster.waitTask(profileId, await deps.cluster.send(profileId, destroyGuestCall(node, vmid, { purge: true, destroyUnreferencedDisks: true })));
}

async function deleteVolume(deps: MigrationDeps, profileId: string, node: string, artifact: P2vArtifact): Promise<void> {
  const storage = artifact.ref.split(':')[0] ?? '';
  const upid = await deps.cluster.send(profileId, deleteVolumeCall(node, storage, artifact.ref));
  if (upid !== null) await deps.cluster.waitTask(profileId, upid);
}
