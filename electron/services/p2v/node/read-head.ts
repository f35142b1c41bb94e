import { IpcError } from '../../../../shared/ipc/errors';
import { imageSpec, type ImageRef } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand, shellQuote } from './shell-quote';

/** Enough for the MBR and the GPT header of 512-byte and 4Kn disks. */
export const HEAD_BYTES = 8192;

/**
 * The first `bytes` guest-visible bytes of an image (fewer when the disk is
 * smaller), read through its format driver by `qemu-img dd` into a private
 * temporary folder on the node, sent back as base64, and removed.
 */
export async function readHead(ssh: NodeShell, image: ImageRef, bytes = HEAD_BYTES, signal?: AbortSignal): Promise<Buffer> {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`readHead: bytes must be a positive integer, not ${bytes}`);
  const dd = shellCommand(['qemu-img', 'dd', '-O', 'raw', `bs=${bytes}`, 'count=1', `if=${imageSpec(image)}`]);
  // The temporary folder goes whatever happens: the EXIT trap also runs when a cancel's SIGTERM ends the shell.
  const command = [
    'd=$(mktemp -d) || exit 1',
    `trap ${shellQuote('rm -rf -- "$d"')} EXIT`,
    "trap 'exit 143' TERM HUP INT",
    `${dd} of="$d/head"`,
    'base64 -w0 -- "$d/head"',
  ].join('\n');
  const { stdout } = await runOnNode(ssh, 'qemu-img dd', `set -e\n${command}`, signal === undefined ? {} : { signal });
  const head = Buffer.from(stdout.trim(), 'base64');
  if (head.length === 0) {
    throw new IpcError('BAD_RESPONSE', {
      en: 'qemu-img dd read nothing from the start of the disk: the image looks empty.',
      fr: 'qemu-img dd n’a rien lu au début du disque : l’image semble vide.',
    });
  }
  // qemu-img rounds a disk smaller than `bytes` up to whole sectors.
  return head.subarray(0, bytes);
}
