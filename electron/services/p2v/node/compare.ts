import { describeImage, imageSpec, type ImageRef } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { lineSplitter, progressFraction } from './progress';
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
 * zeros). Exit 0 identical, 1 different; 2 (an error) throws. With
 * `onProgress`, qemu-img's `-p` share of the disk compared so far (0…1).
 */
export async function compareImages(
  ssh: NodeShell,
  a: ImageRef,
  b: ImageRef,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<ImageComparison> {
  let said = '';
  const lines = lineSplitter((line) => {
    const fraction = progressFraction(line);
    if (fraction === undefined) said += `${line}\n`;
    else onProgress?.(fraction);
  });
  const command = shellCommand(['qemu-img', 'compare', ...(onProgress === undefined ? [] : ['-p']), imageSpec(a), imageSpec(b)]);
  const result = await runOnNode(ssh, 'qemu-img compare', command, {
    ...(signal === undefined ? {} : { signal }),
    okExitCodes: [0, 1],
    onStdout: (text) => lines.push(text),
    hint: {
      en: `Check that ${describeImage(a).en} and ${describeImage(b).en} can be read.`,
      fr: `Vérifiez que ${describeImage(a).fr} et ${describeImage(b).fr} sont lisibles.`,
    },
  });
  lines.end();
  return parseCompare(result.exitCode, said);
}
