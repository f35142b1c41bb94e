/** Test helpers of the node operations: disks' first bytes with a partition table (no sfdisk on the test machines), the digest's definition. */
import { createHash } from 'node:crypto';

const HEAD = 8192;

/** An MBR (0x55AA) with these entries, each 2048 sectors from sector 2048 on. */
export function mbrHead(entries: { type: number; bootable?: boolean }[]): Buffer {
  const head = Buffer.alloc(HEAD);
  entries.forEach((entry, index) => {
    const at = 446 + index * 16;
    head.writeUInt8(entry.bootable === true ? 0x80 : 0x00, at);
    head.writeUInt8(entry.type, at + 4);
    head.writeUInt32LE(2048 + index * 2048, at + 8);
    head.writeUInt32LE(2048, at + 12);
  });
  head.writeUInt16BE(0x55aa, 510);
  return head;
}

/** A protective MBR (one 0xEE entry over the disk) and a GPT header signature at LBA 1 of `sectorSize`-byte sectors. */
export function gptHead(sectorSize: 512 | 4096): Buffer {
  const head = mbrHead([{ type: 0xee }]);
  head.writeUInt32LE(1, 446 + 8);
  head.writeUInt32LE(0xffffffff, 446 + 12);
  head.write('EFI PART', sectorSize, 'latin1');
  head.writeUInt32LE(0x00010000, sectorSize + 8);
  head.writeUInt32LE(92, sectorSize + 12);
  return head;
}

const MiB = 1024 * 1024;

/** The sha256-blocks digest as its definition says, plainly, over a disk held in memory: what the node's perl must answer. */
export function referenceSha256Blocks(disk: Buffer, offset: number, length: number): string {
  const lines = createHash('sha256');
  const end = offset + length;
  for (let start = offset; start < end;) {
    const index = Math.floor(start / MiB);
    const stop = Math.min((index + 1) * MiB, end);
    const block = disk.subarray(start, stop);
    if (block.some((byte) => byte !== 0)) lines.update(`${index}:${createHash('sha256').update(block).digest('hex')}\n`);
    start = stop;
  }
  return lines.digest('hex');
}
