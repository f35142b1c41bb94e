/**
 * Partition tables written by hand into test disks (the build machine has no sfdisk): an MBR with one Linux
 * partition, or a GPT (protective MBR, primary and backup headers with their CRCs) with one Linux partition, so
 * the inspection's BIOS/UEFI proposal sees what a real installer leaves.
 */
import { randomBytes } from 'node:crypto';

export const sectorSize = 512;
/** Where installers start the first partition (LBA 2048, 1 MiB). */
const firstPartitionLba = 2048;
const gptEntries = 128;
const gptEntrySize = 128;
const gptEntrySectors = (gptEntries * gptEntrySize) / sectorSize;
const linuxFilesystemGuid = '0fc63daf-8483-4772-8e79-3d69d8477de4';

/** A run of bytes to write at an offset of the disk. */
export interface DiskWrite {
  offset: number;
  bytes: Buffer;
}

export type PartitionTableKind = 'mbr' | 'gpt';

/** The sectors a partition table occupies on a disk of `diskBytes`, one partition spanning the rest of the disk. */
export function partitionTable(kind: PartitionTableKind, diskBytes: number): DiskWrite[] {
  const sectors = Math.floor(diskBytes / sectorSize);
  return kind === 'mbr' ? [{ offset: 0, bytes: mbrSector(0x83, firstPartitionLba, sectors - firstPartitionLba) }] : gptWrites(sectors);
}

function mbrSector(type: number, startLba: number, sectorCount: number): Buffer {
  const sector = Buffer.alloc(sectorSize);
  randomBytes(4).copy(sector, 440); // disk signature
  const entry = 446;
  sector[entry] = type === 0xee ? 0x00 : 0x80;
  // CHS fields say "beyond CHS": every tool since the 90s reads the LBA fields.
  sector.set([0xfe, 0xff, 0xff], entry + 1);
  sector[entry + 4] = type;
  sector.set([0xfe, 0xff, 0xff], entry + 5);
  sector.writeUInt32LE(startLba, entry + 8);
  sector.writeUInt32LE(Math.min(sectorCount, 0xffffffff), entry + 12);
  sector.writeUInt16LE(0xaa55, 510);
  return sector;
}

function gptWrites(sectors: number): DiskWrite[] {
  const lastLba = sectors - 1;
  const backupEntriesLba = lastLba - gptEntrySectors;
  const firstUsable = 2 + gptEntrySectors;
  const lastUsable = backupEntriesLba - 1;
  const entries = Buffer.alloc(gptEntries * gptEntrySize);
  guidBytes(linuxFilesystemGuid).copy(entries, 0);
  randomBytes(16).copy(entries, 16);
  entries.writeBigUInt64LE(BigInt(firstPartitionLba), 32);
  entries.writeBigUInt64LE(BigInt(lastUsable), 40);
  Buffer.from('p2v-test', 'utf16le').copy(entries, 56);
  const diskGuid = randomBytes(16);
  const header = (current: number, backup: number, entriesLba: number): Buffer => {
    const sector = Buffer.alloc(sectorSize);
    sector.write('EFI PART', 0, 'latin1');
    sector.writeUInt32LE(0x00010000, 8);
    sector.writeUInt32LE(92, 12);
    sector.writeBigUInt64LE(BigInt(current), 24);
    sector.writeBigUInt64LE(BigInt(backup), 32);
    sector.writeBigUInt64LE(BigInt(firstUsable), 40);
    sector.writeBigUInt64LE(BigInt(lastUsable), 48);
    diskGuid.copy(sector, 56);
    sector.writeBigUInt64LE(BigInt(entriesLba), 72);
    sector.writeUInt32LE(gptEntries, 80);
    sector.writeUInt32LE(gptEntrySize, 84);
    sector.writeUInt32LE(crc32(entries), 88);
    // The header's CRC covers its 92 bytes with the CRC field itself zero.
    sector.writeUInt32LE(crc32(sector.subarray(0, 92)), 16);
    return sector;
  };
  return [
    { offset: 0, bytes: mbrSector(0xee, 1, lastLba) },
    { offset: sectorSize, bytes: header(1, lastLba, 2) },
    { offset: 2 * sectorSize, bytes: entries },
    { offset: backupEntriesLba * sectorSize, bytes: entries },
    { offset: lastLba * sectorSize, bytes: header(lastLba, 1, backupEntriesLba) },
  ];
}

/** A GUID's on-disk form: its first three fields little-endian, the rest as written. */
function guidBytes(guid: string): Buffer {
  const hex = Buffer.from(guid.replaceAll('-', ''), 'hex');
  return Buffer.concat([hex.subarray(0, 4).reverse(), hex.subarray(4, 6).reverse(), hex.subarray(6, 8).reverse(), hex.subarray(8)]);
}

const crcTable = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

/** CRC-32 (IEEE 802.3, as GPT uses it); Node 20's zlib has none. */
export function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
