/** The partition table a disk starts with, which decides the firmware to propose (GPT → OVMF, MBR → SeaBIOS). */
export type PartitionTable = 'gpt' | 'mbr' | 'none';

const MBR_SIGNATURE_OFFSET = 510;
const MBR_ENTRIES_OFFSET = 446;
const MBR_ENTRY_SIZE = 16;
const GPT_PROTECTIVE_TYPE = 0xee;
const GPT_SIGNATURE = Buffer.from('EFI PART', 'latin1');
/** The GPT header is at LBA 1: byte 512 on 512-byte-sector disks, 4096 on 4Kn disks. */
const GPT_HEADER_OFFSETS = [512, 4096];

interface MbrEntry {
  status: number;
  type: number;
  sectors: number;
}

function mbrEntries(head: Buffer): MbrEntry[] {
  return [0, 1, 2, 3].map((index) => {
    const at = MBR_ENTRIES_OFFSET + index * MBR_ENTRY_SIZE;
    return { status: head.readUInt8(at), type: head.readUInt8(at + 4), sectors: head.readUInt32LE(at + 12) };
  });
}

/**
 * Reads the partition table from the first guest-visible bytes of a disk
 * (at least 512; 8 KiB also finds the GPT header of a 4Kn disk). GPT: a
 * protective MBR (an entry of type 0xEE) and "EFI PART" at LBA 1. MBR: the
 * 0x55AA signature and at least one used entry, every entry's status 0x00 or
 * 0x80 (a filesystem's boot sector, which also ends in 0x55AA, has code there).
 */
export function partitionTableOf(head: Buffer): PartitionTable {
  if (head.length < 512 || head.readUInt16BE(MBR_SIGNATURE_OFFSET) !== 0x55aa) return 'none';
  const entries = mbrEntries(head);
  if (!entries.every((entry) => entry.status === 0x00 || entry.status === 0x80)) return 'none';
  const used = entries.filter((entry) => entry.type !== 0 && entry.sectors !== 0);
  const gptHeader = GPT_HEADER_OFFSETS.some(
    (offset) => head.length >= offset + GPT_SIGNATURE.length && head.subarray(offset, offset + GPT_SIGNATURE.length).equals(GPT_SIGNATURE),
  );
  if (gptHeader && used.some((entry) => entry.type === GPT_PROTECTIVE_TYPE)) return 'gpt';
  return used.length > 0 ? 'mbr' : 'none';
}
