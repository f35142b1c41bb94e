import { describe, expect, it } from 'vitest';
import { partitionTableOf } from './partition-table';
import { gptHead, mbrHead } from './testing';

describe('partitionTableOf', () => {
  it('finds a GPT: protective MBR and "EFI PART" at LBA 1 (512-byte and 4Kn sectors)', () => {
    expect(partitionTableOf(gptHead(512))).toBe('gpt');
    expect(partitionTableOf(gptHead(4096))).toBe('gpt');
  });

  it('finds an MBR with partitions', () => {
    expect(partitionTableOf(mbrHead([{ type: 0x83, bootable: true }]))).toBe('mbr');
    expect(partitionTableOf(mbrHead([{ type: 0x07 }, { type: 0x05 }]))).toBe('mbr');
  });

  it('says none for a blank disk, an MBR without partitions, a short head, or a boot sector with code where entries go', () => {
    expect(partitionTableOf(Buffer.alloc(8192))).toBe('none');
    expect(partitionTableOf(mbrHead([]))).toBe('none');
    expect(partitionTableOf(Buffer.alloc(100))).toBe('none');
    const bootSector = mbrHead([{ type: 0x83 }]);
    bootSector.writeUInt8(0x4e, 446);
    expect(partitionTableOf(bootSector)).toBe('none');
  });

  it('takes "EFI PART" without a protective entry as the MBR it shows', () => {
    const head = gptHead(512);
    head.writeUInt8(0x83, 446 + 4);
    expect(partitionTableOf(head)).toBe('mbr');
  });
});
