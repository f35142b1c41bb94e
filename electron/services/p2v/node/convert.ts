import { describeImage, imageSpec, type ByteWindow, type ImageRef, type NodeDisk } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { lineSplitter, progressFraction } from './progress';
import { shellCommand } from './shell-quote';

export interface ConvertIntoFileOptions {
  source: ImageRef;
  /**
   * The file written, `virtualSize` long and reading as zeros where nothing was written yet: the raw staging file
   * (createRawStaging), or a qcow2 volume PVE just allocated, converted in place.
   */
  target: NodeDisk;
  /** Where to start: 0, or where an interrupted copy is known to be complete (writtenExtentEnd less a margin). */
  fromOffset: number;
  virtualSize: number;
  signal?: AbortSignal;
  /** The share of the whole disk that is in the target, the resumed part included (0…1). */
  onProgress?: (fraction: number) => void;
}

/** The `qemu-img convert` command line copying `window` of the source into the same window of the target (exported for its unit test). */
export function convertCommand(source: ImageRef, target: NodeDisk, window: ByteWindow): string {
  // -n: the target exists. --target-is-zero: it reads as zeros where nothing was written yet, so zeros
  // are not written. No -W: writes stay in order, so a resume can trust everything below the last data extent.
  // The formats are the `driver` of each json: filename (the source's never probed), the target a raw window
  // over its own format.
  const convert = shellCommand([
    'qemu-img',
    'convert',
    '-p',
    '-n',
    '--target-is-zero',
    '-O',
    'raw',
    imageSpec(source, window),
    imageSpec({ kind: 'file', ...target }, window),
  ]);
  // qemu-img's target cache is `unsafe` (no flush): the data is made durable before success is declared.
  return `${convert} && ${shellCommand(['sync', '--', target.path])}`;
}

/**
 * Copies the guest-visible bytes [fromOffset, virtualSize) of the source into
 * the target at the same offsets, through the node's qemu-img (the
 * source's format driver reads it, over NBD for the workstation's file).
 * Resolves once the data is on disk; a failure carries qemu-img's stderr;
 * cancelling (`signal`) stops qemu-img on the node.
 */
export async function convertIntoFile(ssh: NodeShell, options: ConvertIntoFileOptions): Promise<void> {
  const { source, target, fromOffset, virtualSize, onProgress } = options;
  if (!Number.isSafeInteger(fromOffset) || fromOffset < 0 || fromOffset > virtualSize) {
    throw new RangeError(`convertIntoFile: offset ${fromOffset} outside the disk (0…${virtualSize})`);
  }
  const window: ByteWindow = { offset: fromOffset, size: virtualSize - fromOffset };
  if (window.size === 0) {
    await runOnNode(ssh, 'sync', shellCommand(['sync', '--', target.path]), options.signal === undefined ? {} : { signal: options.signal });
    onProgress?.(1);
    return;
  }
  const lines = lineSplitter((line) => {
    const fraction = progressFraction(line);
    if (fraction !== undefined) onProgress?.((fromOffset + fraction * window.size) / virtualSize);
  });
  await runOnNode(ssh, 'qemu-img convert', convertCommand(source, target, window), {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onStdout: (text) => lines.push(text),
    hint: {
      en: `Reading ${describeImage(source).en} or writing ${target.path} failed; the copy can be resumed once the cause is fixed.`,
      fr: `La lecture de ${describeImage(source).fr} ou l’écriture de ${target.path} a échoué ; la copie pourra reprendre une fois la cause corrigée.`,
    },
  });
  lines.end();
}
