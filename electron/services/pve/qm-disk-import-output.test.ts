import { describe, expect, it } from 'vitest';
import { parseQmDiskImportOutput } from './qm-disk-import-output';

describe('parseQmDiskImportOutput', () => {
  it('reads the line of PVE 8.3 and later', () => {
    const output = [
      "importing disk '/root/disk.qcow2' to VM 100 ...",
      'transferred 0.0 B of 24.0 MiB (0.00%)\rtransferred 24.0 MiB of 24.0 MiB (100.00%)',
      "unused0: successfully imported disk 'local-lvm:vm-100-disk-1'",
      '',
    ].join('\n');
    expect(parseQmDiskImportOutput(output)).toEqual({ key: 'unused0', volid: 'local-lvm:vm-100-disk-1' });
  });

  it('reads the line of PVE 8.2 and older, whose volid has colons of its own', () => {
    const output = "importing disk 'disk.vmdk' to VM 101 ...\nSuccessfully imported disk as 'unused1:local:101/vm-101-disk-0.qcow2'\n";
    expect(parseQmDiskImportOutput(output)).toEqual({ key: 'unused1', volid: 'local:101/vm-101-disk-0.qcow2' });
  });

  it('keeps the target disk given with --target-disk', () => {
    expect(parseQmDiskImportOutput("scsi1: successfully imported disk 'ceph:vm-102-disk-3'")).toEqual({ key: 'scsi1', volid: 'ceph:vm-102-disk-3' });
  });

  it('finds nothing in the output of a failed import', () => {
    expect(parseQmDiskImportOutput("importing disk 'x' to VM 100 ...\nstorage 'nope' does not exist\n")).toBeUndefined();
  });
});
