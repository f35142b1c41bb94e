import { describe, expect, it } from 'vitest';
import { hardwareRows, nextFreeKey, nextStartValues } from './hardware-rows';
import { pendingConfig } from '../testing';

describe('hardwareRows', () => {
  const rows = hardwareRows(pendingConfig());
  const row = (key: string) => rows.find((candidate) => candidate.key === key);

  it('lists the fixed rows then the devices in PVE’s order: drives by bus and number, NICs, unused disks', () => {
    expect(rows.map(({ key }) => key)).toEqual([
      'memory',
      'processors',
      'bios',
      'display',
      'machine',
      'scsihw',
      'ide2',
      'scsi0',
      'scsi1',
      'net0',
      'net1',
      'unused0',
    ]);
    expect(rows.map(({ kind }) => kind)).toEqual([
      'memory',
      'processors',
      'bios',
      'display',
      'machine',
      'scsihw',
      'cdrom',
      'disk',
      'disk',
      'nic',
      'nic',
      'unused',
    ]);
  });

  it('gives a row its value now and, when a change waits, its value at the next start', () => {
    expect(row('memory')).toMatchObject({ current: { memory: 4096, balloon: 2048 }, pending: { memory: 8192, balloon: 2048 }, removing: false });
    expect(row('processors')?.pending).toBeUndefined();
    expect(row('net1')).toMatchObject({ current: {}, pending: { net1: 'e1000=BC:24:11:00:00:02,bridge=vmbr1' }, removing: false });
    expect(row('scsi1')).toMatchObject({ pending: {}, removing: true });
    expect(row('scsi0')?.pending).toBeUndefined();
  });

  it('sees the config at the next start without the keys to delete', () => {
    const next = nextStartValues(pendingConfig().entries);
    expect(next.memory).toBe(8192);
    expect(next.scsi1).toBeUndefined();
    expect(next.net1).toContain('e1000');
  });

  it('finds the next free key, counting keys that exist only at the next start', () => {
    const { entries } = pendingConfig();
    expect(nextFreeKey(entries, 'net', 32)).toBe('net2');
    expect(nextFreeKey(entries, 'scsi', 31)).toBe('scsi2');
    expect(nextFreeKey(entries, 'virtio', 16)).toBe('virtio0');
    expect(nextFreeKey([{ key: 'ide0', value: 'x' }], 'ide', 1)).toBeUndefined();
  });
});
