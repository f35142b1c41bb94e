import { describeImage, imageSpec, type ImageRef } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand } from './shell-quote';

export type ImageComparison =
  | { identical: true }
  | { identical: false; /** Where the first differing 512-byte sector starts (qemu-img compares sector by sector). */ firstDifference?: number };

const MISMATCH = /Content mismatch at offset (\d+)/;

/** Reads `qemu-img compare`'s exit code and output (exported for its unit test). */
export function parseCompare(exitCode: number, output: string): ImageComparison {
  if (exitCode === 0) return { identical: true };
  const offset = MISMATCH.exec(output)?.[1];
  return offset === undefined ? { identical: false } : { identical: false, firstDifference: Number(offset) };
}

/**
 * Compares what two images show the guest (`qemu-img compare`, each opened
 * with its named format; sizes may differ when the longer one's tail is
 * zeros). Exit 0 identical, 1 different; 2 (an error) throws.
 */
export async function compareImages(ssh: NodeShell, a: ImageRef, b: ImageRef, signal?: AbortSignal): Promise<ImageComparison> {
  const command = shellCommand(['qemu-img', 'compare', imageSpec(a), imageSpec(b)]);
  const result = await runOnNode(ssh, 'qemu-img compare', command, {
    ...(signal === undefined ? {} : { signal }),
    okExitCodes: [0, 1],
    hint: `Check that ${describeImage(a)} and ${describeImage(b)} can be read.`,
  });
  return parseCompare(result.exitCode, result.stdout);
}
