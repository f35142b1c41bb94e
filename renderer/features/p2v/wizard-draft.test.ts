import { describe, expect, it } from 'vitest';
import { emptyDraft, proposedName, snapshotSize, sourceOf, sshAuth } from './wizard-draft';

const mib = 1024 ** 2;
const gib = 1024 ** 3;

describe('the wizard’s draft', () => {
  it('proposes a DNS-safe VM name from a file or host name', () => {
    expect(proposedName('/images/Old Server_2019.VMDK')).toBe('old-server-2019');
    expect(proposedName('C:\\disks\\web01.vhdx')).toBe('web01');
    expect(proposedName('<img src=x>')).toBe('img-src-x');
    expect(proposedName('é')).toBe('');
    expect(proposedName(`${'a'.repeat(62)}-b`)).toBe('a'.repeat(62));
  });

  it('sizes an LVM snapshot at a tenth of the volume, at least 256 MiB, never more than the group has free', () => {
    const volume = { volumeGroup: 'vg0', logicalVolume: 'root', sizeBytes: 20 * gib, device: '/dev/vg0/root' };
    expect(snapshotSize({ ...volume, groupFreeBytes: 10 * gib })).toBe(2 * gib);
    expect(snapshotSize({ ...volume, sizeBytes: gib, groupFreeBytes: 10 * gib })).toBe(256 * mib);
    expect(snapshotSize({ ...volume, groupFreeBytes: 100 * mib })).toBe(100 * mib);
    expect(snapshotSize({ ...volume, groupFreeBytes: 0 })).toBe(0);
  });

  it('sends only the credentials the chosen method needs', () => {
    const form = { ...emptyDraft().ssh, password: 'pw', keyPath: ' /home/me/.ssh/id ', passphrase: '' };
    expect(sshAuth({ ...form, auth: 'password' })).toEqual({ method: 'password', password: 'pw' });
    expect(sshAuth({ ...form, auth: 'key-file' })).toEqual({ method: 'key-file', privateKeyPath: '/home/me/.ssh/id' });
    expect(sshAuth({ ...form, auth: 'agent' })).toEqual({ method: 'agent' });
    expect(sshAuth({ ...form, auth: 'password', password: '' })).toBeUndefined();
  });

  it('has no source until the file is read and its format confirmed', () => {
    const draft = emptyDraft();
    expect(sourceOf(draft, {})).toBeUndefined();
    draft.imageFormat = 'vmdk';
    expect(sourceOf(draft, { image: { path: '/a.vmdk', fileSize: 1, warnings: [] } })).toEqual({ kind: 'workstation', path: '/a.vmdk', format: 'vmdk' });
  });
});
