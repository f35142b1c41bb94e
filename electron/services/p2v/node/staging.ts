import { z } from 'zod';
import { IpcError } from '../../../../shared/ipc/errors';
import { imageSpec, type NodeDisk } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand, shellQuote } from './shell-quote';

/** pve-storage `parse_volume_id`'s storage part (Plugin.pm). */
const STORAGE_ID = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
/** Where staging goes when the storage has no folder (LVM, ZFS, RBD…). */
export const FALLBACK_STAGING_PARENT = '/var/tmp';

/** The path on the node of a volume (`pvesm path <volid>`): a file, or a block device on block storages. */
export async function volumePath(ssh: NodeShell, volid: string, signal?: AbortSignal): Promise<string> {
  const { stdout } = await runOnNode(ssh, 'pvesm path', shellCommand(['pvesm', 'path', volid]), {
    ...(signal === undefined ? {} : { signal }),
    hint: {
      en: `Check that the volume ${volid} exists and its storage is enabled on this node.`,
      fr: `Vérifiez que le volume ${volid} existe et que son stockage est activé sur ce nœud.`,
    },
  });
  const path = stdout.trim();
  if (!path.startsWith('/')) {
    throw new IpcError('BAD_RESPONSE', {
      en: `pvesm path ${volid} answered "${path}", not a path.`,
      fr: `pvesm path ${volid} a répondu « ${path} », qui n’est pas un chemin.`,
    });
  }
  return path;
}

/**
 * Where the raw staging copy goes on the node: for a storage with a folder
 * (dir, NFS, CIFS, btrfs) the folder its import volumes live in (`pvesm path
 * <storage>:import/…`, pve-storage's own answer), or the storage's folder when
 * that does not exist; for any other storage, or when pvesm refuses,
 * /var/tmp. The folder must be writable by root.
 */
export async function stagingParent(ssh: NodeShell, storage: string, signal?: AbortSignal): Promise<string> {
  if (!STORAGE_ID.test(storage)) throw new RangeError(`stagingParent: "${storage}" is not a storage id`);
  const volid = `${storage}:import/p2v-staging.raw`;
  // pvesm dies for storages without folders (their plugins cannot name an import volume): that is the fallback, not an error.
  const command = [
    `p=$(${shellCommand(['pvesm', 'path', volid])} 2>/dev/null) && case $p in /*/*)`,
    '  d=${p%/*}',
    '  for c in "$d" "${d%/*}"; do if [ -d "$c" ] && [ -w "$c" ]; then printf "%s\\n" "$c"; exit 0; fi; done;;',
    'esac',
    `printf "%s\\n" ${shellQuote(FALLBACK_STAGING_PARENT)}`,
  ].join('\n');
  const { stdout } = await runOnNode(ssh, 'pvesm path', command, signal === undefined ? {} : { signal });
  return stdout.trim();
}

/** A sparse raw file of `virtualSize` bytes (`truncate -s`): reads as zeros, takes no space until written. Kept data stays. */
export async function createRawStaging(ssh: NodeShell, path: string, virtualSize: number, signal?: AbortSignal): Promise<void> {
  if (!Number.isSafeInteger(virtualSize) || virtualSize <= 0) throw new RangeError(`createRawStaging: size ${virtualSize}`);
  await runOnNode(ssh, 'truncate', shellCommand(['truncate', '-s', virtualSize, '--', path]), {
    ...(signal === undefined ? {} : { signal }),
    hint: {
      en: `Check that the folder of ${path} exists on the node and root can write there.`,
      fr: `Vérifiez que le dossier de ${path} existe sur le nœud et que root peut y écrire.`,
    },
  });
}

const mapSchema = z.array(
  z.object({ start: z.number().int().nonnegative(), length: z.number().int().nonnegative(), data: z.boolean(), zero: z.boolean().optional() }),
);

/**
 * The end of the last extent holding written data in `qemu-img map --output=json` (exported for its unit test):
 * data that reads as zeros does not count (a qcow2 made with `preallocation=metadata` maps every cluster as data).
 */
export function lastDataExtentEnd(mapJson: string): number {
  let entries: z.infer<typeof mapSchema>;
  try {
    entries = mapSchema.parse(JSON.parse(mapJson));
  } catch {
    throw new IpcError('BAD_RESPONSE', { en: 'qemu-img map answered an unexpected document.', fr: 'qemu-img map a répondu par un document inattendu.' });
  }
  return entries.reduce((end, entry) => (entry.data && entry.zero !== true ? Math.max(end, entry.start + entry.length) : end), 0);
}

/**
 * Where the data written into a file on the node (the raw staging file, or a
 * qcow2 volume converted in place) ends: the end of its last data extent (0
 * for a file with none). A copy writing in order (qemu-img convert without
 * -W, dd) has written everything below it, so an interrupted copy resumes from
 * there, less a safety margin the caller picks.
 */
export async function writtenExtentEnd(ssh: NodeShell, file: NodeDisk, signal?: AbortSignal): Promise<number> {
  const command = shellCommand(['qemu-img', 'map', '--output=json', imageSpec({ kind: 'file', ...file })]);
  const { stdout } = await runOnNode(ssh, 'qemu-img map', command, signal === undefined ? {} : { signal });
  return lastDataExtentEnd(stdout);
}
