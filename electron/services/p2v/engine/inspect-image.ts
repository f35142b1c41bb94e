import type { ImageFormat, ImageInspection, P2vArtifact } from '../../../../shared/domain/p2v';
import { DescribedError } from '../../../../shared/text/sentence';
import {
  FALLBACK_STAGING_PARENT,
  makeWorkDir,
  partitionTableOf,
  qemuImgCheck,
  qemuImgInfo,
  qemuImgMeasure,
  readHead,
  removePath,
  type ImageRef,
  type NodeShell,
} from '../node';
import type { NodeTarget, WorkstationPort } from './ports';
import { settleInOrder } from './settle';

/**
 * What the node's qemu-img says about an image, with its format named on every call: info, check where the
 * format has it, measure for both target formats, and the partition table that proposes the firmware.
 */
export async function inspectImage(shell: NodeShell, image: ImageRef, signal: AbortSignal): Promise<ImageInspection> {
  // All at once, each a command of its own on the SSH connection (and a connection of its own to the NBD export,
  // which serves several): each costs a round trip to the node more than work, and none needs another's answer.
  const [info, check, qcow2, raw, head] = await settleInOrder([
    qemuImgInfo(shell, image, signal),
    qemuImgCheck(shell, image, signal),
    qemuImgMeasure(shell, image, 'qcow2', signal),
    qemuImgMeasure(shell, image, 'raw', signal),
    readHead(shell, image, undefined, signal),
  ]);
  const partitionTable = partitionTableOf(head);
  const warnings: ImageInspection['warnings'] = [];
  if (check !== undefined && check.errors + check.corruptions > 0)
    warnings.push({ key: 'p2v.inspect.checkErrors', params: { errors: check.errors + check.corruptions } });
  if (info.dirty) warnings.push({ key: 'p2v.inspect.dirty' });
  if (partitionTable === 'none') warnings.push({ key: 'p2v.inspect.noPartitionTable' });
  return {
    format: image.format,
    virtualSize: info.virtualSize,
    // Over NBD qemu cannot tell the allocation: qcow2's `required` is the allocated data plus a little metadata.
    allocatedSize: info.actualSize ?? qcow2.required,
    ...(info.vmdkCreateType !== undefined ? { vmdkSubformat: info.vmdkCreateType } : {}),
    ...(info.backingFile !== undefined ? { backingFile: info.backingFile } : {}),
    partitionTable,
    firmwareProposal: partitionTable === 'gpt' ? 'ovmf' : 'seabios',
    ...(check !== undefined ? { check } : {}),
    measure: { qcow2, raw },
    warnings,
  };
}

/** An image with a backing file is half a disk: refused, with what to do. */
export function refuseBackingFile(inspection: ImageInspection): void {
  if (inspection.backingFile === undefined) return;
  throw new DescribedError({
    en: `The image has a backing file (${inspection.backingFile}), so it holds only the changes made on top of that file. Merge the chain into one image first (qemu-img convert of the top image), then start the migration from that image`,
    fr: `L’image a un fichier de base (${inspection.backingFile}) : elle ne contient que les modifications faites par-dessus ce fichier. Fusionnez d’abord la chaîne en une seule image (qemu-img convert de l’image du haut de la chaîne), puis démarrez la migration depuis cette image`,
  });
}

/** What a temporary folder on the node is told: recorded before use, taken off the list once removed. */
export interface TemporaryTracking {
  created(artifact: P2vArtifact): Promise<void>;
  removed(artifact: P2vArtifact): Promise<void>;
}

/**
 * Inspects a workstation image before anything else exists on the node: the NBD export's socket goes in a private
 * folder under /var/tmp that is removed right after. (A VMDK with split extents is not one export: the migration
 * inspects it once its files are copied into the work dir.)
 */
export async function inspectWorkstationImage(
  options: { shell: NodeShell; workstation: WorkstationPort; node: NodeTarget; path: string; format: ImageFormat; signal: AbortSignal },
  tracking: TemporaryTracking,
): Promise<ImageInspection> {
  const { shell, signal, format } = options;
  const dir = await makeWorkDir(shell, FALLBACK_STAGING_PARENT, signal);
  const artifact: P2vArtifact = { kind: 'node-file', ref: dir, node: options.node.node };
  await tracking.created(artifact);
  try {
    const channel = await options.workstation.open({ path: options.path, node: options.node, socketPath: `${dir}/nbd.sock`, signal });
    try {
      return await inspectImage(shell, { kind: 'nbd', socketPath: channel.socketPath, exportName: channel.exportName, format }, signal);
    } finally {
      await channel.close();
    }
  } finally {
    await removePath(shell, dir);
    await tracking.removed(artifact);
  }
}
