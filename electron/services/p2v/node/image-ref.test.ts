import { describe, expect, it } from 'vitest';
import { imageSpec } from './image-ref';

const parsed = (spec: string): unknown => {
  expect(spec.startsWith('json:')).toBe(true);
  return JSON.parse(spec.slice('json:'.length));
};

describe('imageSpec', () => {
  it('puts the named format driver on the file protocol, never following a backing file', () => {
    expect(parsed(imageSpec({ kind: 'file', path: '/var/lib/vz/import/disk.qcow2', format: 'qcow2' }))).toEqual({
      driver: 'qcow2',
      backing: null,
      file: { driver: 'file', filename: '/var/lib/vz/import/disk.qcow2' },
    });
    expect(parsed(imageSpec({ kind: 'file', path: '/d.raw', format: 'raw' }))).toEqual({ driver: 'raw', file: { driver: 'file', filename: '/d.raw' } });
  });

  it('puts the named format driver on an NBD export over a Unix socket', () => {
    expect(parsed(imageSpec({ kind: 'nbd', socketPath: '/var/tmp/p2v.x/nbd.sock', exportName: 'a1b2', format: 'vpc' }))).toEqual({
      driver: 'vpc',
      backing: null,
      file: { driver: 'nbd', server: { type: 'unix', path: '/var/tmp/p2v.x/nbd.sock' }, export: 'a1b2' },
    });
  });

  it('keeps a path with commas, quotes and braces one value', () => {
    const path = '/tmp/a,file.driver=nbd"},{"x';
    expect(parsed(imageSpec({ kind: 'file', path, format: 'raw' }))).toEqual({ driver: 'raw', file: { driver: 'file', filename: path } });
  });

  it('windows a disk with a raw driver on top of the format driver; a raw image takes the window itself', () => {
    expect(parsed(imageSpec({ kind: 'file', path: '/d.vmdk', format: 'vmdk' }, { offset: 4096, size: 8192 }))).toEqual({
      driver: 'raw',
      offset: 4096,
      size: 8192,
      file: { driver: 'vmdk', backing: null, file: { driver: 'file', filename: '/d.vmdk' } },
    });
    expect(parsed(imageSpec({ kind: 'file', path: '/s.raw', format: 'raw' }, { offset: 0, size: 512 }))).toEqual({
      driver: 'raw',
      offset: 0,
      size: 512,
      file: { driver: 'file', filename: '/s.raw' },
    });
  });
});
