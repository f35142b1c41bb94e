import type { TargetFormat } from '../../../../shared/domain/p2v';
import { IpcError } from '../../../../shared/ipc/errors';
import { parseQmDiskImportOutput, type ImportedDisk } from '../../pve';
import { runOnNode, type NodeShell } from './node-command';
import { lineSplitter, progressFraction } from './progress';
import { shellCommand } from './shell-quote';

export interface ImportDiskOptions {
  vmid: number;
  /** The image on the node (the raw staging file). */
  file: string;
  storage: string;
  format: TargetFormat;
  signal?: AbortSignal;
  /** qm's `transferred … (NN.NN%)` lines as a fraction. */
  onProgress?: (fraction: number) => void;
}

/** What of `qm disk import`'s output is kept to find the line naming the volume: its end. */
const OUTPUT_KEPT = 64 * 1024;

/**
 * `qm disk import <vmid> <file> <storage> --format <format>` on the node: PVE
 * allocates the volume, converts into it and adds it to the VM as `unusedN`.
 * Answers the config key and the volume id.
 */
export async function importDisk(ssh: NodeShell, options: ImportDiskOptions): Promise<ImportedDisk> {
  const { vmid, file, storage, format, onProgress } = options;
  let output = '';
  const lines = lineSplitter((line) => {
    output = (output + line + '\n').slice(-OUTPUT_KEPT);
    const fraction = progressFraction(line);
    if (fraction !== undefined) onProgress?.(fraction);
  });
  await runOnNode(ssh, 'qm disk import', shellCommand(['qm', 'disk', 'import', vmid, file, storage, '--format', format]), {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onStdout: (text) => lines.push(text),
    hint: {
      en: `Check that VM ${vmid} exists on this node, is not locked, and that storage ${storage} takes disk images in ${format}.`,
      fr: `Vérifiez que la VM ${vmid} existe sur ce nœud et n’est pas verrouillée, et que le stockage ${storage} accepte les images disque en ${format}.`,
    },
  });
  lines.end();
  const imported = parseQmDiskImportOutput(output);
  if (imported === undefined) {
    throw new IpcError('BAD_RESPONSE', {
      en: `qm disk import ended without naming the imported volume; look at VM ${vmid}'s unused disks on storage ${storage}.`,
      fr: `qm disk import s’est terminé sans nommer le volume importé ; regardez les disques inutilisés de la VM ${vmid} sur le stockage ${storage}.`,
    });
  }
  return imported;
}
