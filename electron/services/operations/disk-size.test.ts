import { describe, expect, it } from 'vitest';
import { diskSizeOf, growSize, pveSize } from './disk-size';

const GiB = 1024 ** 3;

describe('pveSize', () => {
  it('uses the largest unit that divides the size, else whole KiB rounded up', () => {
    expect(pveSize(42 * GiB)).toBe('42G');
    expect(pveSize(2 * 1024 * GiB)).toBe('2T');
    expect(pveSize(1536 * 1024 ** 2)).toBe('1536M');
    expect(pveSize(10 * 1024 + 1)).toBe('11K');
  });
});

describe('diskSizeOf', () => {
  it('reads the size of a disk entry', () => {
    expect(diskSizeOf({ scsi0: 'local:100/vm-100-disk-0.qcow2,size=32G' }, 'scsi0')).toBe(32 * GiB);
  });

  it('answers undefined for a disk without size and refuses a disk the config lacks', () => {
    expect(diskSizeOf({ scsi0: 'local:100/vm-100-disk-0.qcow2' }, 'scsi0')).toBeUndefined();
    expect(() => diskSizeOf({ scsi0: 'local:100/vm-100-disk-0.qcow2' }, 'scsi1')).toThrow(/no disk scsi1/);
  });
});

describe('growSize', () => {
  it('grows only', () => {
    expect(growSize(32 * GiB, 40 * GiB)).toBe('40G');
    expect(() => growSize(32 * GiB, 32 * GiB)).toThrow(/only grow/);
    expect(() => growSize(32 * GiB, 16 * GiB)).toThrow(/32G/);
  });

  it('lets PVE judge a disk of unknown size', () => {
    expect(growSize(undefined, 8 * GiB)).toBe('8G');
  });
});
