import { describe, expect, it } from 'vitest';
import { convertCommand } from './convert';

describe('convertCommand', () => {
  it('copies a window of the source into the same window of the staging file, in order, then syncs it', () => {
    const command = convertCommand({ kind: 'file', path: '/img/disk.vmdk', format: 'vmdk' }, '/var/tmp/p2v.x/staging.raw', { offset: 1048576, size: 2097152 });
    const source =
      'json:{"driver":"raw","offset":1048576,"size":2097152,"file":{"driver":"vmdk","backing":null,"file":{"driver":"file","filename":"/img/disk.vmdk"}}}';
    const target = 'json:{"driver":"raw","offset":1048576,"size":2097152,"file":{"driver":"file","filename":"/var/tmp/p2v.x/staging.raw"}}';
    expect(command).toBe(`qemu-img convert -p -n --target-is-zero -O raw '${source}' '${target}' && sync -- /var/tmp/p2v.x/staging.raw`);
    expect(command).not.toMatch(/ -W\b/);
  });
});
