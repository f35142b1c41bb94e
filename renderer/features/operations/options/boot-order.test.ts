import { describe, expect, it } from 'vitest';
import { bootDevices, bootValue, moveDevice } from './boot-order';
import { parseStartup, printStartup } from './option-rows';

const config = {
  scsi0: 'local:100/vm-100-disk-0.raw,size=4G',
  ide2: 'local:iso/debian.iso,media=cdrom',
  ide0: 'local:100/vm-100-cloudinit.qcow2,media=cdrom',
  net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0',
  net1: 'virtio=BC:24:11:00:00:02,bridge=vmbr0',
  usb0: 'spice',
};

describe('boot order', () => {
  it('puts the devices of order= first and enabled, the other bootable ones after, disabled (no cloud-init drive, no SPICE USB)', () => {
    expect(bootDevices({ ...config, boot: 'order=net0;scsi0' })).toEqual([
      { key: 'net0', enabled: true },
      { key: 'scsi0', enabled: true },
      { key: 'ide2', enabled: false },
      { key: 'net1', enabled: false },
    ]);
  });

  it('reads a legacy boot (and its absence, PVE’s cdn) as PVE’s dialog converts it', () => {
    expect(bootDevices({ ...config, boot: 'dc', bootdisk: 'scsi0' }).filter((device) => device.enabled)).toEqual([
      { key: 'ide2', enabled: true },
      { key: 'scsi0', enabled: true },
    ]);
    expect(bootDevices({ ...config, bootdisk: 'scsi0' }).map((device) => `${device.key}:${device.enabled}`)).toEqual([
      'scsi0:true',
      'ide2:true',
      'net0:true',
      'net1:true',
    ]);
  });

  it('writes the enabled devices in their order, and moves one within the list', () => {
    const devices = bootDevices({ ...config, boot: 'order=scsi0;ide2' });
    expect(bootValue(moveDevice(devices, 0, 1))).toBe('order=ide2;scsi0');
    expect(moveDevice(devices, 0, 99).map((device) => device.key)).toEqual(['ide2', 'net0', 'net1', 'scsi0']);
    expect(bootValue(devices.map((device) => ({ ...device, enabled: false })))).toBe('order=');
  });
});

describe('startup order', () => {
  it('reads and writes order=N,up=S,down=S, leaving out what is not set', () => {
    expect(parseStartup('order=2,up=30,down=60')).toEqual({ order: 2, up: 30, down: 60 });
    expect(parseStartup('3')).toEqual({ order: 3 });
    expect(printStartup({ order: 1, down: 90 })).toBe('order=1,down=90');
    expect(printStartup({})).toBeUndefined();
  });
});
