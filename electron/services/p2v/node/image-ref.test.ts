import { describe, expect, it } from 'vitest';
import { imageOpts, rawFileOpts } from './image-ref';

describe('imageOpts', () => {
  it('puts the named format driver on the file protocol', () => {
    expect(imageOpts({ kind: 'file', path: '/var/lib/vz/import/disk.qcow2', format: 'qcow2' })).toBe(
      'driver=qcow2,file.driver=file,file.filename=/var/lib/vz/import/disk.qcow2',
    );
  });

  it('puts the named format driver on an NBD export over a Unix socket', () => {
    expect(imageOpts({ kind: 'nbd', socketPath: '/var/tmp/p2v.x/nbd.sock', exportName: 'a1b2', format: 'vpc' })).toBe(
      'driver=vpc,file.driver=nbd,file.server.type=unix,file.server.path=/var/tmp/p2v.x/nbd.sock,file.export=a1b2',
    );
  });

  it('doubles commas in values, so a path cannot add options', () => {
    expect(imageOpts({ kind: 'file', path: '/tmp/a,file.driver=nbd', format: 'raw' })).toBe(
      'driver=raw,file.driver=file,file.filename=/tmp/a,,file.driver=nbd',
    );
  });

  it('windows a disk with a raw driver on top of the format driver', () => {
    expect(imageOpts({ kind: 'file', path: '/d.vmdk', format: 'vmdk' }, { offset: 4096, size: 8192 })).toBe(
      'driver=raw,offset=4096,size=8192,file.driver=vmdk,file.file.driver=file,file.file.filename=/d.vmdk',
    );
    // A raw image takes the window itself: one raw driver, not two.
    expect(rawFileOpts('/s.raw', { offset: 0, size: 512 })).toBe('driver=raw,offset=0,size=512,file.driver=file,file.filename=/s.raw');
  });
});
