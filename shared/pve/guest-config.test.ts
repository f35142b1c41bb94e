import { describe, expect, it } from 'vitest';
import { agentEnabled, balloonMinimum, guestDisks, guestNics, parseDiskSize, parsePropertyString } from './guest-config';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('guest config', () => {
  it('splits a property string, the bare part going to the default key', () => {
    expect(parsePropertyString('local:100/vm-100-disk-0.qcow2,size=32G,iothread=1', 'file')).toEqual({
      file: 'local:100/vm-100-disk-0.qcow2',
      size: '32G',
      iothread: '1',
    });
    expect(parsePropertyString('enabled=1,fstrim_cloned_disks=1', 'enabled')).toEqual({ enabled: '1', fstrim_cloned_disks: '1' });
  });

  it('reads PVE sizes in bytes', () => {
    expect(parseDiskSize('32G')).toBe(32 * GiB);
    expect(parseDiskSize('512M')).toBe(512 * MiB);
    expect(parseDiskSize('1.5T')).toBe(1.5 * 1024 * GiB);
    expect(parseDiskSize('4194304')).toBe(4_194_304);
    expect(parseDiskSize('big')).toBeUndefined();
  });

  it('lists the disks by bus and number with their sizes, CD drives as cdrom, and leaves unused volumes and other keys out', () => {
    const disks = guestDisks({
      scsi10: 'local-lvm:vm-100-disk-2,size=8G',
      scsi0: 'local:100/vm-100-disk-0.qcow2,size=32G',
      scsi2: 'shared:100/vm-100-disk-1.raw,size=1024M,discard=on',
      ide2: 'none,media=cdrom',
      sata1: 'local:iso/debian.iso,media=cdrom,size=600M',
      efidisk0: 'local:100/vm-100-disk-3.qcow2,efitype=4m,size=528K',
      unused0: 'local:100/vm-100-disk-9.qcow2',
      scsihw: 'virtio-scsi-single',
      name: 'scsi0',
    });
    expect(disks).toEqual([
      { key: 'efidisk0', volume: 'local:100/vm-100-disk-3.qcow2', size: 528 * 1024, media: 'disk' },
      { key: 'ide2', volume: 'none', media: 'cdrom' },
      { key: 'sata1', volume: 'local:iso/debian.iso', size: 600 * MiB, media: 'cdrom' },
      { key: 'scsi0', volume: 'local:100/vm-100-disk-0.qcow2', size: 32 * GiB, media: 'disk' },
      { key: 'scsi2', volume: 'shared:100/vm-100-disk-1.raw', size: GiB, media: 'disk' },
      { key: 'scsi10', volume: 'local-lvm:vm-100-disk-2', size: 8 * GiB, media: 'disk' },
    ]);
  });

  it('reads NICs: the model key carries the MAC, then bridge, VLAN tag and firewall', () => {
    const nics = guestNics({
      net0: 'virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1,tag=10',
      net1: 'e1000=bc:24:11:00:00:01,bridge=vmbr1,link_down=1',
      net2: 'model=vmxnet3,macaddr=BC:24:11:00:00:02,bridge=vmbr0,firewall=0',
    });
    expect(nics).toEqual([
      { key: 'net0', model: 'virtio', mac: 'bc:24:11:2a:3b:4c', bridge: 'vmbr0', vlan: 10, firewall: true },
      { key: 'net1', model: 'e1000', mac: 'bc:24:11:00:00:01', bridge: 'vmbr1' },
      { key: 'net2', model: 'vmxnet3', mac: 'bc:24:11:00:00:02', bridge: 'vmbr0', firewall: false },
    ]);
  });

  it('gives the balloon minimum as qemu-server reads balloon: absent = memory, 0 = no balloon, else balloon MiB', () => {
    expect(balloonMinimum({ memory: 4096 })).toBe(4096 * MiB);
    expect(balloonMinimum({ memory: 4096, balloon: 0 })).toBeUndefined();
    expect(balloonMinimum({ memory: 4096, balloon: 1024, shares: 500 })).toBe(1024 * MiB);
    expect(balloonMinimum({ memory: 'current=2048' })).toBe(2048 * MiB);
    expect(balloonMinimum({})).toBe(512 * MiB);
  });

  it('tells whether the agent is enabled, in both its forms', () => {
    expect(agentEnabled({ agent: 1 })).toBe(true);
    expect(agentEnabled({ agent: 'enabled=1,fstrim_cloned_disks=1' })).toBe(true);
    expect(agentEnabled({ agent: '1,type=virtio' })).toBe(true);
    expect(agentEnabled({ agent: 0 })).toBe(false);
    expect(agentEnabled({ agent: 'enabled=0' })).toBe(false);
    expect(agentEnabled({})).toBe(false);
  });
});
