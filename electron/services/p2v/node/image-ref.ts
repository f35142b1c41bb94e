import type { ImageFormat } from '../../../../shared/domain/p2v';

/**
 * An image as the node's qemu-img opens it: the workstation's file over an NBD
 * export reached through a Unix socket on the node, or a file on the node.
 * The format is always given: qemu-img never probes it (a raw disk can hold a
 * qcow2 header naming a host file as its backing file).
 */
export type ImageRef = { kind: 'nbd'; socketPath: string; exportName: string; format: ImageFormat } | { kind: 'file'; path: string; format: ImageFormat };

/** A byte range of the guest-visible disk. */
export interface ByteWindow {
  offset: number;
  size: number;
}

type Options = [key: string, value: string | number][];

/** QemuOpts separates options with `,`; a `,` inside a value is written `,,`. */
function render(options: Options): string {
  return options.map(([key, value]) => `${key}=${String(value).replace(/,/g, ',,')}`).join(',');
}

function protocolOptions(image: ImageRef): Options {
  if (image.kind === 'file')
    return [
      ['driver', 'file'],
      ['filename', image.path],
    ];
  return [
    ['driver', 'nbd'],
    ['server.type', 'unix'],
    ['server.path', image.socketPath],
    ['export', image.exportName],
  ];
}

function nested(prefix: string, options: Options): Options {
  return options.map(([key, value]) => [`${prefix}.${key}`, value]);
}

/** `driver=raw,offset=…,size=…,file.…`: the window of what `inner` shows the guest (a raw image takes the window itself). */
function windowed(inner: Options, window: ByteWindow | undefined): Options {
  if (window === undefined) return inner;
  const [driver, ...rest] = inner;
  const bounds: Options = [
    ['offset', window.offset],
    ['size', window.size],
  ];
  if (driver?.[1] === 'raw') return [driver, ...bounds, ...rest];
  return [['driver', 'raw'], ...bounds, ...nested('file', inner)];
}

/**
 * The `--image-opts` string of an image: its format driver on top of the file
 * or NBD protocol driver, and with `window` a raw driver on top of that, so
 * qemu-img sees only [offset, offset + size) of the guest-visible disk.
 */
export function imageOpts(image: ImageRef, window?: ByteWindow): string {
  return render(windowed([['driver', image.format], ...nested('file', protocolOptions(image))], window));
}

/** The `--target-image-opts` string of a raw file on the node, optionally a window of it. */
export function rawFileOpts(path: string, window?: ByteWindow): string {
  return imageOpts({ kind: 'file', path, format: 'raw' }, window);
}

/** How an image is named in messages: its path, or the NBD export's socket. */
export function describeImage(image: ImageRef): string {
  return image.kind === 'file' ? `${image.path} (${image.format})` : `the NBD export at ${image.socketPath} (${image.format})`;
}
