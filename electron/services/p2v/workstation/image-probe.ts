import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import type { ImageFormat, WorkstationImage } from '../../../../shared/domain/p2v';
import { IpcError } from '../../../../shared/ipc/errors';

const formatsByExtension: Record<string, ImageFormat> = {
  '.img': 'raw',
  '.raw': 'raw',
  '.bin': 'raw',
  '.dd': 'raw',
  '.qcow2': 'qcow2',
  '.vmdk': 'vmdk',
  '.vhd': 'vpc',
  '.vhdx': 'vhdx',
  '.vdi': 'vdi',
};

const HEADER_BYTES = 512;
const VMDK_DESCRIPTOR_START = '# Disk DescriptorFile';
/** A text descriptor is a few lines per extent; anything bigger is not one worth parsing. */
const MAX_DESCRIPTOR_BYTES = 64 * 1024;
/** `RW 4192256 SPARSE "disk-s001.vmdk"` or `RW 2048 FLAT "disk-flat.vmdk" 0`; ZERO extents name no file. */
const EXTENT_LINE = /^\s*(?:RW|RDONLY|NOACCESS)\s+\d+\s+[A-Z]+\s+"([^"]*)"/;

/**
 * What a workstation image file is, from its name and its first (and for a
 * fixed VHD, last) bytes, with no qemu tool: the name decides, the header is
 * only compared, so the user confirms a disagreement instead of an untrusted
 * header choosing the format.
 */
export async function probeImage(path: string): Promise<WorkstationImage> {
  const file = await openRegularFile(path);
  try {
    const size = (await file.stat()).size;
    const head = await readAt(file, 0, Math.min(HEADER_BYTES, size));
    const tail = size >= HEADER_BYTES ? await readAt(file, size - HEADER_BYTES, HEADER_BYTES) : Buffer.alloc(0);
    const formatByName = formatsByExtension[extname(path).toLowerCase()];
    const formatByHeader = formatOfHeader(head, tail);
    const image: WorkstationImage = {
      path,
      fileSize: size,
      ...(formatByName === undefined ? {} : { formatByName }),
      ...(formatByHeader === undefined ? {} : { formatByHeader }),
      warnings: [],
    };
    // No header at all can only be raw: a `.qcow2` without one disagrees as much as one with another header.
    const byHeader = formatByHeader ?? 'raw';
    if (formatByName !== undefined && formatByName !== byHeader) {
      image.warnings.push({ key: 'p2v.warning.headerMismatch', params: { byName: formatByName, byHeader } });
    }
    if (isVmdkDescriptor(head)) {
      if (size > MAX_DESCRIPTOR_BYTES) {
        throw new IpcError('BAD_FILE', {
          en: `${path} starts like a VMDK descriptor but is ${size} bytes long: it is not a valid descriptor.`,
          fr: `${path} commence comme un descripteur VMDK mais fait ${size} octets : ce n’est pas un descripteur valide.`,
        });
      }
      image.extents = await descriptorExtents(path, (await readAt(file, 0, size)).toString('utf8'));
      image.fileSize += image.extents.reduce((sum, extent) => sum + extent.size, 0);
    }
    return image;
  } finally {
    await file.close();
  }
}

function formatOfHeader(head: Buffer, tail: Buffer): ImageFormat | undefined {
  const startsWith = (bytes: Buffer, text: string) => bytes.subarray(0, text.length).equals(Buffer.from(text, 'latin1'));
  if (startsWith(head, 'QFI\xfb')) return 'qcow2';
  if (startsWith(head, 'KDMV') || isVmdkDescriptor(head)) return 'vmdk';
  if (startsWith(head, 'vhdxfile')) return 'vhdx';
  // A dynamic VHD has a copy of its footer at offset 0; a fixed one only the footer in its last 512 bytes.
  if (startsWith(head, 'conectix') || startsWith(tail, 'conectix')) return 'vpc';
  if (head.length >= 0x44 && head.readUInt32LE(0x40) === 0xbeda107f) return 'vdi';
  return undefined;
}

function isVmdkDescriptor(head: Buffer): boolean {
  return head.subarray(0, VMDK_DESCRIPTOR_START.length).toString('latin1') === VMDK_DESCRIPTOR_START;
}

/**
 * The extent files a descriptor names, resolved beside it as qemu's vmdk
 * driver does; names that climb out of the folder or are absolute are
 * refused (the descriptor came from elsewhere and must not pick the files read).
 */
async function descriptorExtents(path: string, descriptor: string): Promise<{ path: string; size: number }[]> {
  const extents: { path: string; size: number }[] = [];
  for (const line of descriptor.split(/\r?\n/)) {
    const name = EXTENT_LINE.exec(line)?.[1];
    if (name === undefined) continue;
    if (name === '' || isAbsolute(name) || /^[a-z]:/i.test(name) || name.startsWith('\\') || name.split(/[\\/]/).includes('..')) {
      throw new IpcError('BAD_FILE', {
        en: `The VMDK descriptor ${basename(path)} names the extent "${name}" outside its own folder: only extent files beside the descriptor are read. Fix the extent line or copy the files next to it.`,
        fr: `Le descripteur VMDK ${basename(path)} désigne l’extent « ${name} » hors de son propre dossier : seuls les fichiers d’extent placés à côté du descripteur sont lus. Corrigez la ligne de l’extent ou copiez les fichiers à côté du descripteur.`,
      });
    }
    const extentPath = join(dirname(path), name);
    const stats = await stat(extentPath).catch(() => undefined);
    if (stats === undefined || !stats.isFile()) {
      throw new IpcError('BAD_FILE', {
        en: `The VMDK descriptor ${basename(path)} names the extent "${name}", which is not a file in ${dirname(path)}: copy every extent file next to the descriptor.`,
        fr: `Le descripteur VMDK ${basename(path)} désigne l’extent « ${name} », qui n’est pas un fichier de ${dirname(path)} : copiez tous les fichiers d’extent à côté du descripteur.`,
      });
    }
    extents.push({ path: extentPath, size: stats.size });
  }
  return extents;
}

async function openRegularFile(path: string): Promise<FileHandle> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new IpcError('NOT_FOUND', {
        en: `There is no file at ${path}: check the path.`,
        fr: `Il n’y a aucun fichier à l’emplacement ${path} : vérifiez le chemin.`,
      });
    }
    // The system's code (or its message) is the same in every language.
    const why = error.code ?? error.message;
    throw new IpcError('BAD_FILE', {
      en: `${path} cannot be examined (${why}): check its permissions.`,
      fr: `${path} ne peut pas être examiné (${why}) : vérifiez ses droits d’accès.`,
    });
  });
  if (!stats.isFile()) {
    throw new IpcError('BAD_FILE', {
      en: `${path} is not a regular file: choose a disk image file.`,
      fr: `${path} n’est pas un fichier ordinaire : choisissez un fichier image disque.`,
    });
  }
  return open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    const why = error.code ?? error.message;
    throw new IpcError('BAD_FILE', {
      en: `${path} cannot be read (${why}): check its permissions.`,
      fr: `${path} ne peut pas être lu (${why}) : vérifiez ses droits d’accès.`,
    });
  });
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
