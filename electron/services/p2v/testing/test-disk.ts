/**
 * The guest-visible content of a test disk, as a sparse raw file: a partition table, random data at known offsets,
 * holes everywhere else. Every other format of a test is made from this file with the real `qemu-img`, so the file
 * is also what each migrated disk must equal.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { open } from 'node:fs/promises';
import { partitionTable, type DiskWrite, type PartitionTableKind } from './partition-table';

export const MiB = 1024 * 1024;

export interface Extent {
  offset: number;
  length: number;
}

export interface TestDisk {
  path: string;
  size: number;
  partitionTable: PartitionTableKind;
  /** Where random data was written (the partition table's sectors come on top). */
  extents: Extent[];
  /** Bytes of random data written: what a transfer that skips holes must move, give or take block rounding. */
  dataBytes: number;
}

/**
 * A few MiB of data in a disk of `size` (at least 48 MiB): block-aligned runs, a run that straddles block
 * boundaries at an odd offset, and a short one near the end, where a resumed or windowed copy would lose it first.
 */
export function scatteredExtents(size: number): Extent[] {
  return [
    { offset: 1 * MiB, length: 2 * MiB },
    { offset: 13 * MiB + 12_345, length: 1 * MiB + 300_001 },
    { offset: Math.floor(size / 2), length: 512 * 1024 },
    { offset: size - 3 * MiB - 4096, length: 64 * 1024 },
  ];
}

/** `fraction` of the disk's 1 MiB blocks, picked at random across the whole disk. */
export function spreadExtents(size: number, fraction: number): Extent[] {
  const blocks = Math.floor(size / MiB);
  const indices = Array.from({ length: blocks }, (_, index) => index);
  // Fisher–Yates: the first `wanted` of a shuffled list are a uniform pick.
  for (let index = blocks - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [indices[index], indices[other]] = [indices[other] ?? 0, indices[index] ?? 0];
  }
  const wanted = Math.round(blocks * fraction);
  return indices
    .slice(0, wanted)
    .sort((a, b) => a - b)
    .map((index) => ({ offset: index * MiB, length: MiB }));
}

/** Writes the disk at `path` (replacing it): sparse, then the partition table, then random data at each extent. */
export async function writeTestDisk(path: string, options: { size: number; partitionTable: PartitionTableKind; extents: Extent[] }): Promise<TestDisk> {
  await writeSparse(path, options.size, [partitionTable(options.partitionTable, options.size), ...options.extents.map(randomWrites)]);
  const dataBytes = options.extents.reduce((sum, extent) => sum + extent.length, 0);
  return { path, size: options.size, partitionTable: options.partitionTable, extents: options.extents, dataBytes };
}

/** Writes each group of `writes`, in order, into a new sparse file of `size` bytes. */
export async function writeSparse(path: string, size: number, writes: Iterable<DiskWrite>[]): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.truncate(size);
  } finally {
    await file.close();
  }
  await overwrite(path, writes);
}

/** Writes each group of `writes`, in order, over an existing file. */
export async function overwrite(path: string, writes: Iterable<DiskWrite>[]): Promise<void> {
  const file = await open(path, 'r+');
  try {
    for (const group of writes) for (const { offset, bytes } of group) await file.write(bytes, 0, bytes.length, offset);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Random bytes for an extent, made piece by piece (1 MiB at most) as they are written: a 2 GiB disk's data is never all in memory. */
function* randomWrites(extent: Extent): Generator<DiskWrite> {
  for (let done = 0; done < extent.length; done += MiB) yield { offset: extent.offset + done, bytes: randomBytes(Math.min(MiB, extent.length - done)) };
}
