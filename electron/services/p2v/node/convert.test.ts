import { describe, expect, it } from 'vitest';
import { convertCommand } from './convert';

describe('convertCommand', () => {
  it('copies a window of the source into the same window of the staging file, in order, then syncs it', () => {
    const command = convertCommand(
      { kind: 'file', path: '/img/disk.vmdk', format: 'vmdk' },
      { path: '/var/tmp/p2v.x/staging.raw', format: 'raw' },
      { offset: 1048576, size: 2097152 },
    );
    const source =
      'json:{"driver":"raw","offset":1048576,"size":2097152,"file":{"driver":"vmdk","backing":null,"file":{"driver":"file","filename":"/img/disk.vmdk"}}}';
    const target = 'json:{"driver":"raw","offset":1048576,"size":2097152,"file":{"driver":"file","filename":"/var/tmp/p2v.x/staging.raw"}}';
    expect(command).toBe(`qemu-img convert -p -n --target-is-zero -O raw '${source}' '${target}' && sync -- /var/tmp/p2v.x/staging.raw`);
    expect(command).not.toMatch(/ -W\b/);
  });

  it('writes a qcow2 volume in place through a raw window over its qcow2 driver, never its backing file', () => {
    const command = convertCommand(
      { kind: 'nbd', socketPath: '/w/nbd.sock', exportName: 'e1', format: 'raw' },
      { path: '/s/images/100/vm-100-disk-0.qcow2', format: 'qcow2' },
      { offset: 0, size: 4096 },
    );
    const target =
      'json:{"driver":"raw","offset":0,"size":4096,"file":{"driver":"qcow2","backing":null,"file":{"driver":"file","filename":"/s/images/100/vm-100-disk-0.qcow2"}}}';
    expect(command).toContain(` -O raw 'json:{"driver":"raw","offset":0,"size":4096,"file":{"driver":"nbd"`);
    expect(command).toContain(`'${target}' && sync -- /s/images/100/vm-100-disk-0.qcow2`);
  });
});
