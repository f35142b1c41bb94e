/** Test helpers of the node operations: the first bytes of disks with a partition table, written byte by byte (no sfdisk on the test machines). */

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
