import { describe, expect, it } from 'vitest';
import { IpcError } from '../../../../shared/ipc/errors';
import { parseQemuImgCheck, parseQemuImgInfo, parseQemuImgMeasure } from './qemu-img-info';

describe('qemu-img answers', () => {
  it('reads info of a qcow2 with a backing file and a dirty flag', () => {
    const info = parseQemuImgInfo(
      JSON.stringify({
        'virtual-size': 67108864,
        filename: 'a.qcow2',
        'cluster-size': 65536,
        format: 'qcow2',
        'actual-size': 331776,
        'backing-filename': '/etc/shadow',
        'format-specific': { type: 'qcow2', data: { compat: '1.1', corrupt: false } },
        'dirty-flag': true,
      }),
    );
    expect(info).toEqual({ format: 'qcow2', virtualSize: 67108864, actualSize: 331776, backingFile: '/etc/shadow', dirty: true });
  });

  it("reads a VMDK's create-type, and info without actual-size (NBD)", () => {
    const info = parseQemuImgInfo(
      JSON.stringify({ 'virtual-size': 1048576, format: 'vmdk', 'format-specific': { type: 'vmdk', data: { 'create-type': 'streamOptimized', extents: [] } } }),
    );
    expect(info).toEqual({ format: 'vmdk', virtualSize: 1048576, vmdkCreateType: 'streamOptimized', dirty: false });
  });

  it('refuses formats P2V does not take and documents that are not info', () => {
    expect(() => parseQemuImgInfo(JSON.stringify({ 'virtual-size': 1, format: 'luks' }))).toThrow(/luks/);
    expect(() => parseQemuImgInfo('qemu-img: Could not open')).toThrow(IpcError);
    expect(() => parseQemuImgInfo(JSON.stringify({ format: 'raw' }))).toThrow(/unexpected JSON/);
  });

  it('reads check reports, clean or not', () => {
    expect(parseQemuImgCheck(JSON.stringify({ 'image-end-offset': 393216, 'total-clusters': 1024, 'check-errors': 0, format: 'qcow2' }))).toEqual({
      errors: 0,
      leaks: 0,
      corruptions: 0,
    });
    expect(parseQemuImgCheck(JSON.stringify({ 'check-errors': 1, leaks: 3, corruptions: 2, format: 'qcow2' }))).toEqual({
      errors: 1,
      leaks: 3,
      corruptions: 2,
    });
  });

  it('reads measure', () => {
    expect(parseQemuImgMeasure(JSON.stringify({ bitmaps: 0, required: 393216, 'fully-allocated': 67436544 }))).toEqual({
      required: 393216,
      fullyAllocated: 67436544,
    });
  });
});
