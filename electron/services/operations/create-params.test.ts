import { describe, expect, it } from 'vitest';
import { createVmForm } from './create-params';

const standard = {
  vmid: 120,
  name: 'web-01',
  ostype: 'l26' as const,
  iso: 'local:iso/debian-12.iso',
  sockets: 1,
  cores: 4,
  memory: 4096,
  disk: { bus: 'scsi' as const, storage: 'local-lvm', sizeGiB: 40 },
  nic: { model: 'virtio' as const, bridge: 'vmbr0' },
  agent: true,
  start: false,
};

describe('createVmForm', () => {
  it('builds the Standard preset as the web UI sends it: SCSI on virtio-scsi-single, the ISO on ide2, boot disk, CD, network', () => {
    expect(createVmForm(standard)).toEqual({
      vmid: 120,
      name: 'web-01',
      ostype: 'l26',
      sockets: 1,
      cores: 4,
      memory: 4096,
      balloon: undefined,
      scsihw: 'virtio-scsi-single',
      scsi0: 'local-lvm:40',
      ide2: 'local:iso/debian-12.iso,media=cdrom',
      net0: 'virtio,bridge=vmbr0',
      boot: 'order=scsi0;ide2;net0',
      agent: 1,
      start: 0,
      pool: undefined,
    });
  });

  it('puts a virtio disk with its format first in the boot order, leaves the CD empty without an ISO, and passes balloon, start and pool', () => {
    const form = createVmForm({
      ...standard,
      iso: undefined,
      balloon: 1024,
      disk: { bus: 'virtio', storage: 'local', sizeGiB: 8, format: 'qcow2' },
      nic: { model: 'e1000', bridge: 'vmbr1' },
      agent: false,
      start: true,
      pool: 'lab',
    });
    expect(form).toMatchObject({
      virtio0: 'local:8,format=qcow2',
      ide2: 'none,media=cdrom',
      net0: 'e1000,bridge=vmbr1',
      boot: 'order=virtio0;ide2;net0',
      balloon: 1024,
      agent: 0,
      start: 1,
      pool: 'lab',
    });
    expect(form).not.toHaveProperty('scsihw');
    expect(form).not.toHaveProperty('scsi0');
  });
});
