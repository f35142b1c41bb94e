import { describe, expect, it } from 'vitest';
import type { GuestConfig } from '../../pve';
import { checkConfig, planWindowsSwitchStep, temporaryDiskSerial, type SwitchRequest } from './switch-plan';

/** A Windows server as the P2V engine leaves it: booting from SATA, the virtio-win ISO in ide2. */
const migrated: GuestConfig = {
  boot: 'order=sata0;ide2;net0',
  cores: 2,
  ide2: 'local:iso/virtio-win-0.1.266.iso,media=cdrom,size=707456K',
  memory: '4096',
  meta: 'creation-qemu=9.2.0,ctime=1764700000',
  name: 'win2019-fs01',
  net0: 'e1000=BC:24:11:5A:3C:7E,bridge=vmbr0',
  ostype: 'win10',
  sata0: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on,ssd=1,size=64G',
  smbios1: 'uuid=5d1c7a0e-3b7e-4c55-9a57-0f6f3f0c9b21',
  sockets: 1,
  tags: 'p2v',
  vmgenid: '0b6e7c1e-9a2b-4a0e-8f7f-2f7d5f1d7c33',
  digest: '3f786850e387550fdab836ed7e6dc881de23001b',
};

const request = (step: SwitchRequest['step'], bus: SwitchRequest['bus'] = 'virtio'): SwitchRequest => ({ step, bus, temporaryStorage: 'local' });

/** What PVE's config shows after the step's change (as qemu-server applies it to a stopped guest). */
function applied(config: GuestConfig, change: { set: Record<string, string>; delete: string[] }, extra: GuestConfig = {}): GuestConfig {
  const result: GuestConfig = { ...config, ...change.set, ...extra };
  for (const key of change.delete) Reflect.deleteProperty(result, key);
  return result;
}

describe('add-temporary-disk', () => {
  it('adds a marked 1 GiB disk on the first free virtio slot of the temporary storage, the boot disk left on SATA', () => {
    const plan = planWindowsSwitchStep(migrated, request('add-temporary-disk'));
    expect(plan.change).toEqual({ set: { virtio0: `local:1,serial=${temporaryDiskSerial}` }, delete: [], force: false });
    expect(plan.next).toEqual({ key: 'p2v.windowsSwitch.next.installDriver', params: { driver: 'viostor', disk: 'virtio0' } });
    const after = applied(migrated, { set: { virtio0: `local:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G` }, delete: [] });
    expect(checkConfig(plan.expectations, after)).toEqual([
      {
        key: 'virtio0',
        expected: `local:…,serial=${temporaryDiskSerial},size=1G`,
        actual: `local:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G`,
        ok: true,
      },
      { key: 'sata0', expected: migrated.sata0, actual: migrated.sata0, ok: true },
      { key: 'boot', expected: 'sata0 first', actual: 'order=sata0;ide2;net0', ok: true },
      { key: 'ide2', expected: expect.stringContaining('virtio-win ISO'), actual: `ide2: ${String(migrated.ide2)}`, ok: true },
    ]);
  });

  it('fails the check of a disk PVE did not add', () => {
    const plan = planWindowsSwitchStep(migrated, request('add-temporary-disk'));
    expect(checkConfig(plan.expectations, migrated)[0]).toEqual({ key: 'virtio0', expected: expect.any(String), ok: false });
  });

  it('sets a VirtIO SCSI controller for scsi, and keeps one already there', () => {
    const plan = planWindowsSwitchStep({ ...migrated, scsihw: 'lsi' }, request('add-temporary-disk', 'scsi'));
    expect(plan.change?.set).toEqual({ scsi0: `local:1,serial=${temporaryDiskSerial}`, scsihw: 'virtio-scsi-single' });
    expect(plan.next.params).toMatchObject({ driver: 'vioscsi', disk: 'scsi0' });
    const kept = planWindowsSwitchStep({ ...migrated, scsihw: 'virtio-scsi-pci' }, request('add-temporary-disk', 'scsi'));
    expect(kept.change?.set).toEqual({ scsi0: `local:1,serial=${temporaryDiskSerial}` });
    const after = applied(migrated, { set: { scsi0: `local:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G`, scsihw: 'lsi' }, delete: [] });
    expect(checkConfig(plan.expectations, after).find((check) => check.key === 'scsihw')).toEqual({
      key: 'scsihw',
      expected: 'virtio-scsi-single or virtio-scsi-pci',
      actual: 'lsi',
      ok: false,
    });
  });

  it('takes the next free slot when virtio0 is used', () => {
    const plan = planWindowsSwitchStep({ ...migrated, virtio0: 'local:120/vm-120-disk-5.qcow2,size=8G' }, request('add-temporary-disk'));
    expect(Object.keys(plan.change?.set ?? {})).toEqual(['virtio1']);
  });

  it('adds nothing the second time: the marked disk is found again', () => {
    const withDisk = { ...migrated, virtio0: `shared:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G` };
    const plan = planWindowsSwitchStep(withDisk, request('add-temporary-disk'));
    expect(plan.change).toBeUndefined();
    expect(checkConfig(plan.expectations, withDisk).every((check) => check.ok)).toBe(true);
  });

  it('warns through its check when no CD drive holds the virtio-win ISO (empty, another ISO, no drive)', () => {
    const withoutIso = { ...migrated, ide2: 'none,media=cdrom' };
    const plan = planWindowsSwitchStep(withoutIso, request('add-temporary-disk'));
    expect(checkConfig(plan.expectations, withoutIso).at(-1)).toEqual({
      key: 'cdrom',
      expected: expect.stringContaining('virtio-win'),
      actual: 'ide2: none,media=cdrom',
      ok: false,
    });
    const installer = { ...migrated, ide2: 'local:iso/SW_DVD9_Win_Server_2019.iso,media=cdrom' };
    expect(checkConfig(planWindowsSwitchStep(installer, request('add-temporary-disk')).expectations, installer).at(-1)).toMatchObject({
      actual: 'ide2: local:iso/SW_DVD9_Win_Server_2019.iso,media=cdrom',
      ok: false,
    });
    const noDrive = { ...migrated };
    Reflect.deleteProperty(noDrive, 'ide2');
    expect(checkConfig(planWindowsSwitchStep(noDrive, request('add-temporary-disk')).expectations, noDrive).at(-1)).toMatchObject({
      actual: 'no CD-ROM',
      ok: false,
    });
  });

  it('refuses a VM that does not boot from SATA', () => {
    const onVirtio = { ...migrated, boot: 'order=virtio0;ide2', virtio0: migrated.sata0 ?? '' };
    Reflect.deleteProperty(onVirtio, 'sata0');
    expect(() => planWindowsSwitchStep(onVirtio, request('add-temporary-disk'))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('already boots from virtio0') }),
    );
    expect(() => planWindowsSwitchStep({ ...migrated, boot: 'order=ide2;net0' }, request('add-temporary-disk'))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('boots from no disk') }),
    );
  });
});

describe('remove-temporary-disk', () => {
  const withDisk: GuestConfig = { ...migrated, virtio0: `local:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G` };

  it('deletes the marked disk with force, so PVE frees its volume in the same call', () => {
    const plan = planWindowsSwitchStep(withDisk, request('remove-temporary-disk'));
    expect(plan.change).toEqual({ set: {}, delete: ['virtio0'], force: true });
    expect(plan.freedVolumes).toEqual(['local:120/vm-120-disk-1.qcow2']);
    expect(plan.next).toEqual({ key: 'p2v.windowsSwitch.next.moveBootDisk', params: { disk: 'virtio0' } });
    expect(checkConfig(plan.expectations, migrated)).toEqual([
      { key: 'virtio0', expected: 'absent', ok: true },
      { key: 'unused', expected: 'no unusedN holding local:120/vm-120-disk-1.qcow2', ok: true },
      { key: 'sata0', expected: migrated.sata0, actual: migrated.sata0, ok: true },
    ]);
  });

  it('fails its check when the volume stayed as an unused disk', () => {
    const plan = planWindowsSwitchStep(withDisk, request('remove-temporary-disk'));
    const detachedOnly = { ...migrated, unused0: 'local:120/vm-120-disk-1.qcow2' };
    expect(checkConfig(plan.expectations, detachedOnly)[1]).toMatchObject({ ok: false, actual: 'unused0: local:120/vm-120-disk-1.qcow2' });
  });

  it('never touches an unmarked disk, even a 1 GiB one on the target bus', () => {
    const plan = planWindowsSwitchStep({ ...migrated, virtio1: 'local:120/vm-120-disk-2.qcow2,size=1G' }, request('remove-temporary-disk'));
    expect(plan.change).toBeUndefined();
  });

  it('sends nothing the second time and checks that no marked disk is left', () => {
    const plan = planWindowsSwitchStep(migrated, request('remove-temporary-disk'));
    expect(plan.change).toBeUndefined();
    expect(checkConfig(plan.expectations, migrated).every((check) => check.ok)).toBe(true);
  });
});

describe('move-boot-disk', () => {
  it('moves the SATA boot disk to virtio0 in one change: same volume, virtio-blk options, boot order fixed', () => {
    const plan = planWindowsSwitchStep(migrated, request('move-boot-disk'));
    expect(plan.change).toEqual({
      set: { virtio0: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on', boot: 'order=virtio0;ide2;net0' },
      delete: ['sata0'],
      force: false,
    });
    expect(plan.next).toEqual({ key: 'p2v.windowsSwitch.next.startOnVirtio', params: { driver: 'viostor', disk: 'virtio0' } });
    // PVE prints the drive's options in its own order and adds the size back from the volume.
    const after = applied(migrated, {
      set: { virtio0: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on,size=64G', boot: 'order=virtio0;ide2;net0' },
      delete: ['sata0'],
    });
    expect(checkConfig(plan.expectations, after)).toEqual([
      {
        key: 'virtio0',
        expected: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on (ssd=1 left out: not a virtio0 option)',
        actual: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on,size=64G',
        ok: true,
      },
      { key: 'sata0', expected: 'absent', ok: true },
      { key: 'unused', expected: 'no unusedN holding local-lvm:vm-120-disk-0', ok: true },
      { key: 'boot', expected: 'order=virtio0;ide2;net0', actual: 'order=virtio0;ide2;net0', ok: true },
    ]);
  });

  it('fails the checks of a half-done move', () => {
    const plan = planWindowsSwitchStep(migrated, request('move-boot-disk'));
    const detached = applied(migrated, { set: { unused0: 'local-lvm:vm-120-disk-0', boot: 'order=ide2;net0' }, delete: ['sata0'] });
    expect(checkConfig(plan.expectations, detached).map((check) => check.ok)).toEqual([false, true, false, false]);
  });

  it('keeps ssd on virtio-scsi, and sets its controller', () => {
    const plan = planWindowsSwitchStep(migrated, request('move-boot-disk', 'scsi'));
    expect(plan.change?.set).toEqual({
      scsi0: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on,ssd=1',
      boot: 'order=scsi0;ide2;net0',
      scsihw: 'virtio-scsi-single',
    });
  });

  it('replaces a legacy boot setting with an order and removes bootdisk', () => {
    const legacy = { ...migrated, boot: 'cdn', bootdisk: 'sata0' };
    const plan = planWindowsSwitchStep(legacy, request('move-boot-disk'));
    expect(plan.change?.set.boot).toBe('order=virtio0');
    expect(plan.change?.delete).toEqual(['sata0', 'bootdisk']);
  });

  it('refuses while the temporary disk is attached, and when the target slot is taken', () => {
    const withDisk = { ...migrated, virtio0: `local:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G` };
    expect(() => planWindowsSwitchStep(withDisk, request('move-boot-disk'))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('virtio0 is still attached') }),
    );
    expect(() => planWindowsSwitchStep({ ...migrated, virtio0: 'local:120/vm-120-disk-7.raw,size=2G' }, request('move-boot-disk'))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('virtio0 is already taken') }),
    );
  });

  it('sends nothing the second time: the VM boots from virtio0 already', () => {
    const moved = applied(migrated, {
      set: { virtio0: 'local-lvm:vm-120-disk-0,cache=writeback,discard=on,size=64G', boot: 'order=virtio0;ide2;net0' },
      delete: ['sata0'],
    });
    const plan = planWindowsSwitchStep(moved, request('move-boot-disk'));
    expect(plan.change).toBeUndefined();
    expect(checkConfig(plan.expectations, moved)).toEqual([{ key: 'boot', expected: 'virtio0 first', actual: 'order=virtio0;ide2;net0', ok: true }]);
  });
});
