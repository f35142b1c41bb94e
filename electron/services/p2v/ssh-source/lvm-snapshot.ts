/**
 * A classic LVM snapshot of the source's logical volume, so the capture reads a frozen image instead of a volume
 * in use. Its name derives from the job (the staging path), so a resumed capture reads the same snapshot, and a
 * rollback finds it again.
 */
import { createHash } from 'node:crypto';
import { IpcError } from '../../../../shared/ipc/errors';
import { shellCommand } from '../node';
import { readCommand, runOnSource, type SourceShell } from './source-command';

export interface LvmSnapshotRequest {
  volumeGroup: string;
  logicalVolume: string;
  sizeBytes: number;
}

/** The job's snapshot name: `p2v-snap-` and 12 hex of the staging path's sha256 (LVM names allow it; stable across a resume). */
export function snapshotName(jobKey: string): string {
  return `p2v-snap-${createHash('sha256').update(jobKey).digest('hex').slice(0, 12)}`;
}

/** `vg/lv`, as lvcreate, lvremove and the job's artifact name it. */
export const snapshotRef = (volumeGroup: string, name: string): string => `${volumeGroup}/${name}`;
export const snapshotDevice = (volumeGroup: string, name: string): string => `/dev/${volumeGroup}/${name}`;

/** Creates the snapshot unless it exists (a resumed job); answers its device. Refused clearly when the source has no lvcreate. */
export async function ensureSnapshot(source: SourceShell, request: LvmSnapshotRequest, name: string, signal: AbortSignal): Promise<string> {
  const has = await readCommand(source, 'command -v lvcreate', { signal });
  if (has.exitCode !== 0) {
    throw new IpcError('BAD_INPUT', {
      en: `The source server has no lvcreate, so no LVM snapshot of ${request.volumeGroup}/${request.logicalVolume} can be taken: install lvm2 on it, or capture the device without a snapshot (crash-consistent at best).`,
      fr: `Le serveur source n’a pas lvcreate, aucun instantané LVM de ${request.volumeGroup}/${request.logicalVolume} ne peut donc être pris : installez-y lvm2, ou copiez le périphérique sans instantané (au mieux cohérent après plantage).`,
    });
  }
  const ref = snapshotRef(request.volumeGroup, name);
  const exists = await readCommand(source, `${shellCommand(['lvs', ref])} >/dev/null 2>&1`, { signal });
  if (exists.exitCode !== 0) {
    await runOnSource(
      source,
      'lvcreate',
      shellCommand(['lvcreate', '--snapshot', '--name', name, '--size', `${request.sizeBytes}b`, `${request.volumeGroup}/${request.logicalVolume}`]),
      {
        signal,
        hint: {
          en: `Check that the volume group ${request.volumeGroup} has ${request.sizeBytes} bytes free (vgs), or choose a smaller snapshot.`,
          fr: `Vérifiez que le groupe de volumes ${request.volumeGroup} a ${request.sizeBytes} octets libres (vgs), ou choisissez un instantané plus petit.`,
        },
      },
    );
  }
  return snapshotDevice(request.volumeGroup, name);
}

/** Removes the snapshot `vg/name` when it is there. */
export async function removeSnapshot(source: SourceShell, ref: string, signal?: AbortSignal): Promise<void> {
  if (!/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*\/p2v-snap-[0-9a-f]{12}$/.test(ref)) throw new RangeError(`removeSnapshot: "${ref}" is not a P2V snapshot`);
  await runOnSource(source, 'lvremove', `if ${shellCommand(['lvs', ref])} >/dev/null 2>&1; then ${shellCommand(['lvremove', '--force', ref])}; fi`, {
    ...(signal === undefined ? {} : { signal }),
    hint: { en: `Remove the snapshot with lvremove ${ref} on the source server.`, fr: `Supprimez l’instantané avec lvremove ${ref} sur le serveur source.` },
  });
}
