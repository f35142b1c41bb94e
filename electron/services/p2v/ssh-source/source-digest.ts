/**
 * Proof that the staging file holds the source device's bytes: the same digest computed on both sides, over the
 * same range. The canonical one is "sha256-blocks" (the node module's perl program, run on the source over the
 * device). A source without perl's Digest::SHA gets "sha256-stream" instead: `dd | sha256sum` (coreutils) of the
 * whole range on both sides, which reads every byte of the staging file too (slower, same proof).
 */
import { IpcError } from '../../../../shared/ipc/errors';
import type { Sentence } from '../../../../shared/text/sentence';
import { nodeFileDigest, sha256BlocksCommand, shellCommand, type NodeShell } from '../node';
import { readCommand, runOnSource, type SourceShell } from './source-command';

export type DigestMethod = 'sha256-blocks' | 'sha256-stream';

export interface DigestPair {
  method: DigestMethod;
  source: string;
  target: string;
}

/** `dd | sha256sum` of the first `length` bytes of `path`: what both sides can compute with coreutils alone. */
export function streamDigestCommand(path: string, length: number): string {
  return `${shellCommand(['dd', `if=${path}`, 'iflag=count_bytes', `count=${length}`, 'bs=1M', 'status=none'])} | sha256sum`;
}

const onSource: Sentence = { en: 'the source', fr: 'la source' };
const onNode: Sentence = { en: 'the node', fr: 'le nœud' };

function hexDigest(text: string, where: Sentence): string {
  const digest = text.trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/.test(digest)) {
    throw new IpcError('BAD_RESPONSE', {
      en: `The digest on ${where.en} printed "${digest.slice(0, 80)}", not a sha256.`,
      fr: `Le calcul d’empreinte sur ${where.fr} a affiché « ${digest.slice(0, 80)} », qui n’est pas une empreinte sha256.`,
    });
  }
  return digest;
}

/** Both digests of [0, size): the device on the source, the staging file on the node, computed at the same time. */
export async function digestBothSides(
  source: SourceShell,
  node: NodeShell,
  device: string,
  staging: string,
  size: number,
  signal: AbortSignal,
): Promise<DigestPair> {
  const perl = await readCommand(source, 'perl -MDigest::SHA -e 1', { signal });
  if (perl.exitCode === 0) {
    const [sourceDigest, targetDigest] = await Promise.all([
      runOnSource(source, { en: 'The sha256-blocks digest (perl)', fr: 'Le calcul d’empreinte sha256-blocks (perl)' }, sha256BlocksCommand(device, 0, size), {
        signal,
      }).then((answer) => hexDigest(answer.stdout, onSource)),
      nodeFileDigest(node, { path: staging, format: 'raw' }, 0, size, signal),
    ]);
    return { method: 'sha256-blocks', source: sourceDigest, target: targetDigest };
  }
  const [sourceDigest, targetDigest] = await Promise.all([
    runOnSource(
      source,
      { en: 'The sha256 digest (dd | sha256sum)', fr: 'Le calcul d’empreinte sha256 (dd | sha256sum)' },
      `set -o pipefail 2>/dev/null; ${streamDigestCommand(device, size)}`,
      { signal },
    ).then((answer) => hexDigest(answer.stdout, onSource)),
    readCommand(node, `bash -c ${shellCommand([`set -o pipefail; ${streamDigestCommand(staging, size)}`])}`, { signal }).then((answer) => {
      if (answer.exitCode !== 0) {
        throw new IpcError('SSH_FAILED', {
          en: `The sha256 digest of the staging file failed on the node: ${answer.stderr}`,
          fr: `Le calcul de l’empreinte sha256 du fichier intermédiaire a échoué sur le nœud : ${answer.stderr}`,
        });
      }
      return hexDigest(answer.stdout, onNode);
    }),
  ]);
  return { method: 'sha256-stream', source: sourceDigest, target: targetDigest };
}
