import type { ImageFormat, TargetFormat } from '../../../../shared/domain/p2v';
import type { Sentence } from '../../../../shared/text/sentence';

/**
 * An image as the node's qemu-img opens it: the workstation's file over an NBD
 * export reached through a Unix socket on the node, or a file on the node.
 * The format is always given: qemu-img never probes it (a raw disk can hold a
 * qcow2 header naming a host file as its backing file).
 */
export type ImageRef = { kind: 'nbd'; socketPath: string; exportName: string; format: ImageFormat } | { kind: 'file'; path: string; format: ImageFormat };

/** A disk file the migration writes on the node: the raw staging file, or the VM's volume converted in place. */
export interface NodeDisk {
  path: string;
  format: TargetFormat;
}

/** A byte range of the guest-visible disk. */
export interface ByteWindow {
  offset: number;
  size: number;
}

/** qemu's block options as blockdev nests them (`file`, `server`…). */
interface OptionTree {
  [option: string]: string | number | null | OptionTree;
}

/** The options of one node of the block graph. */
type BlockOptions = OptionTree & { driver: string };

function protocol(image: ImageRef): BlockOptions {
  if (image.kind === 'file') return { driver: 'file', filename: image.path };
  return { driver: 'nbd', server: { type: 'unix', path: image.socketPath }, export: image.exportName };
}

/**
 * The format driver on the protocol driver, with `backing: null`: qemu-img
 * never opens a backing file an image names (a crafted qcow2 or VMDK could
 * name any file of the node, whose bytes would then be read as the disk's);
 * `qemu-img info` still reports the name, so an image with one is refused.
 */
function formatted(image: ImageRef): BlockOptions {
  if (image.format === 'raw') return { driver: 'raw', file: protocol(image) };
  return { driver: image.format, backing: null, file: protocol(image) };
}

/** A raw driver's own `offset`/`size` shows qemu-img only `window` of what is below it. */
function windowed(options: BlockOptions, window: ByteWindow | undefined): BlockOptions {
  if (window === undefined) return options;
  const bounds = { offset: window.offset, size: window.size };
  if (options.driver === 'raw') return { driver: 'raw', ...bounds, file: options.file ?? null };
  return { driver: 'raw', ...bounds, file: options };
}

/**
 * The `json:{…}` filename qemu-img opens an image by (every subcommand takes
 * one): the named format driver, never probed, never following a backing
 * file, on the file or NBD protocol, and with `window` a raw driver showing
 * only [offset, offset + size) of the guest-visible disk. JSON quotes the
 * paths, so no path can add an option.
 */
export function imageSpec(image: ImageRef, window?: ByteWindow): string {
  return `json:${JSON.stringify(windowed(formatted(image), window))}`;
}

/** How an image is named in messages: its path, or the NBD export's socket. */
export function describeImage(image: ImageRef): Sentence {
  if (image.kind === 'file') return { en: `${image.path} (${image.format})`, fr: `${image.path} (${image.format})` };
  return { en: `the NBD export at ${image.socketPath} (${image.format})`, fr: `l’export NBD sur ${image.socketPath} (${image.format})` };
}
