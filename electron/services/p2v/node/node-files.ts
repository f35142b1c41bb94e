import { posix } from 'node:path';
import { IpcError } from '../../../../shared/ipc/errors';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand } from './shell-quote';

/**
 * A new private folder (mode 0700, `mktemp -d`) under `parent` on the node,
 * for one job's files; answers its absolute path.
 */
export async function makeWorkDir(ssh: NodeShell, parent: string, signal?: AbortSignal): Promise<string> {
  assertRemovablePath(parent, 'makeWorkDir parent', 1);
  const { stdout } = await runOnNode(ssh, 'mktemp', shellCommand(['mktemp', '-d', '-p', parent, 'p2v.XXXXXXXXXX']), {
    ...(signal === undefined ? {} : { signal }),
    hint: {
      en: `Check that ${parent} exists on the node and root can write there.`,
      fr: `Vérifiez que ${parent} existe sur le nœud et que root peut y écrire.`,
    },
  });
  const dir = stdout.trim();
  if (!posix.isAbsolute(dir)) {
    throw new IpcError('BAD_RESPONSE', {
      en: `mktemp on the node answered "${dir}", not a path.`,
      fr: `mktemp sur le nœud a répondu « ${dir} », qui n’est pas un chemin.`,
    });
  }
  return dir;
}

/** Refuses what a slip could make catastrophic: a relative or unnormalised path, or one too close to `/`. */
function assertRemovablePath(path: string, what: string, minDepth: number): void {
  const depth = path.split('/').filter(Boolean).length;
  if (!posix.isAbsolute(path) || posix.normalize(path) !== path.replace(/\/+$/, '') || depth < minDepth) {
    throw new RangeError(`${what}: "${path}" is not an absolute, normalised path at least ${minDepth} folder(s) below /`);
  }
}

/** Removes a file or folder (recursively) on the node; a missing one is no error. Refuses `/` and top-level folders. */
export async function removePath(ssh: NodeShell, path: string, signal?: AbortSignal): Promise<void> {
  assertRemovablePath(path, 'removePath', 2);
  await runOnNode(ssh, 'rm', shellCommand(['rm', '-rf', '--', path]), signal === undefined ? {} : { signal });
}

/** Bytes available to root in the filesystem holding `dir` on the node. */
export async function freeBytes(ssh: NodeShell, dir: string, signal?: AbortSignal): Promise<number> {
  const { stdout } = await runOnNode(ssh, 'df', shellCommand(['df', '-B1', '--output=avail', '--', dir]), {
    ...(signal === undefined ? {} : { signal }),
    hint: { en: `Check that ${dir} exists on the node.`, fr: `Vérifiez que ${dir} existe sur le nœud.` },
  });
  const avail = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isSafeInteger(avail)) {
    throw new IpcError('BAD_RESPONSE', {
      en: `df on the node answered "${stdout.trim()}", not a number of bytes.`,
      fr: `df sur le nœud a répondu « ${stdout.trim()} », qui n’est pas un nombre d’octets.`,
    });
  }
  return avail;
}

/** The size of a file on the node, undefined when there is none (where an interrupted upload resumes). */
export async function fileSize(ssh: NodeShell, path: string, signal?: AbortSignal): Promise<number | undefined> {
  const command = `if [ -e ${shellCommand([path])} ]; then ${shellCommand(['stat', '-c', '%s', '--', path])}; fi`;
  const { stdout } = await runOnNode(ssh, 'stat', command, signal === undefined ? {} : { signal });
  if (stdout.trim() === '') return undefined;
  const size = Number(stdout.trim());
  if (!Number.isSafeInteger(size)) {
    throw new IpcError('BAD_RESPONSE', {
      en: `stat on the node answered "${stdout.trim()}", not a size.`,
      fr: `stat sur le nœud a répondu « ${stdout.trim()} », qui n’est pas une taille.`,
    });
  }
  return size;
}
