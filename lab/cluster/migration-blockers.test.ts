import { describe, expect, it } from 'vitest';
import { guestVolumes, localResources, pinnedByVncClipboard } from './migration-blockers';

describe('localResources (check_local_resources)', () => {
  it('lists host devices, real serial and parallel ports, but not SPICE USB or serial sockets', () => {
    const config = {
      usb0: 'spice',
      usb1: 'host=spice,usb3=1',
      usb2: '046d:c52b',
      usb3: 'host=1-2',
      serial0: 'socket',
      serial1: '/dev/ttyS1',
      parallel0: '/dev/parport0',
      hostpci0: '0000:01:00.0',
      ivshmem: 'size=32',
    };
    expect(localResources(config, false)).toEqual(['ivshmem', 'usb2', 'usb3', 'serial1', 'parallel0', 'hostpci0']);
  });

  it('adds what cannot be live-migrated only while the guest runs', () => {
    const config = { 'amd-sev': 'type=std', virtiofs0: 'dirid=share' };
    expect(localResources(config, false)).toEqual(['virtiofs0']);
    expect(localResources(config, true)).toEqual(['amd-sev', 'virtiofs', 'virtiofs0']);
  });

  it('pins a running guest with the VNC clipboard', () => {
    expect(pinnedByVncClipboard({ vga: 'std,clipboard=vnc' }, true)).toBe(true);
    expect(pinnedByVncClipboard({ vga: 'std,clipboard=vnc' }, false)).toBe(false);
    expect(pinnedByVncClipboard({ vga: 'qxl' }, true)).toBe(false);
  });
});

describe('guestVolumes (foreach_volid)', () => {
  it('merges a volume seen in the config and in snapshots, and marks CD images, unused and vmstate volumes', () => {
    const volumes = guestVolumes(
      {
        scsi0: 'local:100/vm-100-disk-0.qcow2,size=8G',
        ide2: 'local:iso/debian.iso,media=cdrom',
        unused0: 'local:100/vm-100-disk-1.raw',
      },
      [
        {
          name: 'before',
          snaptime: 0,
          vmstate: true,
          description: '',
          config: { scsi0: 'local:100/vm-100-disk-0.qcow2,size=8G', vmstate: 'local:100/vm-100-state-before.raw' },
        },
      ],
    );
    expect(volumes).toEqual([
      expect.objectContaining({
        volid: 'local:100/vm-100-disk-0.qcow2',
        drivename: 'scsi0',
        size: 8 * 1024 ** 3,
        cdrom: 0,
        is_attached: 1,
        referenced_in_snapshot: { before: 1 },
      }),
      expect.objectContaining({ volid: 'local:iso/debian.iso', drivename: 'ide2', cdrom: 1, is_attached: 1 }),
      expect.objectContaining({ volid: 'local:100/vm-100-disk-1.raw', is_unused: 1, is_attached: 0 }),
      expect.objectContaining({ volid: 'local:100/vm-100-state-before.raw', is_vmstate: 1, is_attached: 0 }),
    ]);
  });
});
