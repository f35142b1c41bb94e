/**
 * Disk images of every format the wizard takes, made from one test disk with the real local `qemu-img`, and the
 * crafted raw image (a raw disk whose first bytes are a qcow2 header with a backing file on the host).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageFormat } from '../../../../shared/domain/p2v';
import { sectorSize } from './partition-table';
import { MiB, overwrite, writeTestDisk, type TestDisk } from './test-disk';

const run = promisify(execFile);

/** Each kind of image file issue 13 lists, named as the tests print them. */
export const imageKinds = [
  'raw',
  'qcow2',
  'vmdk-monolithicSparse',
  'vmdk-streamOptimized',
  'vmdk-split-extents',
  'vhd-fixed',
  'vhd-dynamic',
  'vhdx',
  'vdi',
] as const;
export type ImageKind = (typeof imageKinds)[number];

export interface ImageFixture {
  kind: ImageKind;
  /** The file the wizard is given (for split extents, the descriptor). */
  path: string;
  /** qemu-img's name of the format, as the plan names it. */
  format: ImageFormat;
  /** Every file of the image (the descriptor and its extents). */
  files: string[];
}

/** How `qemu-img convert` writes each kind from raw; the split VMDK is put together by hand (see splitVmdk). */
const converted: Record<Exclude<ImageKind, 'raw' | 'vmdk-split-extents'>, { format: ImageFormat; extension: string; options?: string }> = {
  qcow2: { format: 'qcow2', extension: 'qcow2' },
  'vmdk-monolithicSparse': { format: 'vmdk', extension: 'vmdk', options: 'subformat=monolithicSparse' },
  'vmdk-streamOptimized': { format: 'vmdk', extension: 'vmdk', options: 'subformat=streamOptimized' },
  // force_size keeps the virtual size exact instead of rounding it to a CHS geometry.
  'vhd-fixed': { format: 'vpc', extension: 'vhd', options: 'subformat=fixed,force_size=on' },
  'vhd-dynamic': { format: 'vpc', extension: 'vhd', options: 'subformat=dynamic,force_size=on' },
  vhdx: { format: 'vhdx', extension: 'vhdx' },
  vdi: { format: 'vdi', extension: 'vdi' },
};

/** The image of `kind` with the content of `disk`, written into `dir` (which must not hold another image of that kind). */
export async function makeImage(kind: ImageKind, disk: TestDisk, dir: string): Promise<ImageFixture> {
  if (kind === 'raw') return { kind, path: disk.path, format: 'raw', files: [disk.path] };
  if (kind === 'vmdk-split-extents') return splitVmdk(disk, dir);
  const { format, extension, options } = converted[kind];
  const path = join(dir, `${kind}.${extension}`);
  await run('qemu-img', ['convert', '-f', 'raw', '-O', format, ...(options ? ['-o', options] : []), disk.path, path]);
  return { kind, path, format, files: [path] };
}

/**
 * A VMDK text descriptor with two sparse extents, as VMware's twoGbMaxExtentSparse is (qemu-img only splits above
 * 2 GiB): each half of the disk converted on its own through a raw window of the test disk.
 */
async function splitVmdk(disk: TestDisk, dir: string): Promise<ImageFixture> {
  const half = Math.floor(disk.size / 2 / (64 * 1024)) * 64 * 1024;
  const parts = [
    { file: 'split-s001.vmdk', offset: 0, size: half },
    { file: 'split-s002.vmdk', offset: half, size: disk.size - half },
  ];
  for (const part of parts) {
    const window = `driver=raw,offset=${part.offset},size=${part.size},file.driver=file,file.filename=${disk.path.replaceAll(',', ',,')}`;
    await run('qemu-img', ['convert', '--image-opts', window, '-O', 'vmdk', '-o', 'subformat=monolithicSparse', join(dir, part.file)]);
  }
  const descriptor = [
    '# Disk DescriptorFile',
    'version=1',
    'CID=5e1f0a11',
    'parentCID=ffffffff',
    'createType="twoGbMaxExtentSparse"',
    '',
    '# Extent description',
    ...parts.map((part) => `RW ${part.size / sectorSize} SPARSE "${part.file}"`),
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    'ddb.virtualHWVersion = "4"',
    'ddb.adapterType = "lsilogic"',
    '',
  ].join('\n');
  const path = join(dir, 'split.vmdk');
  await writeFile(path, descriptor, { mode: 0o600 });
  return { kind: 'vmdk-split-extents', path, format: 'vmdk', files: [path, ...parts.map((part) => join(dir, part.file))] };
}

/**
 * A raw disk that starts with a valid qcow2 header whose backing file is `hostFile` (an absolute path on the node,
 * which is this machine in the lab), then random data further in. Opened as qcow2 it would show the host file's
 * bytes; as the raw disk it is, it shows the header itself. Named `.img`, as a `dd` capture would be.
 */
export async function craftedRawImage(dir: string, hostFile = '/etc/hostname'): Promise<TestDisk> {
  const size = 16 * MiB;
  const header = join(dir, 'crafted-header.qcow2');
  await run('qemu-img', ['create', '-f', 'qcow2', '-b', hostFile, '-F', 'raw', header, String(size)]);
  const path = join(dir, 'crafted.img');
  const disk = await writeTestDisk(path, { size, partitionTable: 'mbr', extents: [{ offset: 4 * MiB, length: 2 * MiB }] });
  // The header replaces the partition table: the first bytes must be the qcow2 magic.
  const headerBytes = await readFile(header);
  await overwrite(path, [[{ offset: 0, bytes: headerBytes }]]);
  return { ...disk, extents: [{ offset: 0, length: headerBytes.length }, ...disk.extents], dataBytes: disk.dataBytes + headerBytes.length };
}

/** `qemu-img compare` of two images, each with its format named: resolves when identical, fails with qemu-img's answer otherwise. */
export async function expectIdentical(a: { path: string; format: string }, b: { path: string; format: string }): Promise<void> {
  try {
    await run('qemu-img', ['compare', '-f', a.format, '-F', b.format, a.path, b.path]);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${basename(a.path)} and ${basename(b.path)} differ: ${stdout.trim()} ${stderr.trim()}`);
  }
}
