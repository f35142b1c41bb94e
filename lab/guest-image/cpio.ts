/**
 * A writer for the cpio "newc" format, the only archive format the Linux
 * kernel unpacks as an initramfs. Written in Node so the lab does not depend
 * on the cpio CLI and the archive is byte-for-byte reproducible (fixed
 * mtimes, inode numbers in insertion order), which is what lets the guest
 * image be cached by content.
 */

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Buffer | string; mode?: number }
  | { kind: 'symlink'; path: string; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function padTo4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, mode: number, name: string, data: Buffer, nlink: number): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const header = Buffer.from('070701' + [ino, mode, 0, 0, nlink, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0].map(hex8).join(''), 'ascii');
  return [header, nameBytes, padTo4(header.length + nameBytes.length), data, padTo4(data.length)];
}

/** Serialises entries (parents before children, paths without a leading slash) into a newc archive. */
export function writeCpioNewc(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const entry of entries) {
    const name = entry.path.replace(/^\/+/, '');
    if (entry.kind === 'dir') {
      parts.push(...record(ino++, S_IFDIR | (entry.mode ?? 0o755), name, Buffer.alloc(0), 2));
    } else if (entry.kind === 'file') {
      const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
      parts.push(...record(ino++, S_IFREG | (entry.mode ?? 0o644), name, data, 1));
    } else {
      parts.push(...record(ino++, S_IFLNK | 0o777, name, Buffer.from(entry.target, 'utf8'), 1));
    }
  }
  parts.push(...record(0, 0, 'TRAILER!!!', Buffer.alloc(0), 1));
  return Buffer.concat(parts);
}
