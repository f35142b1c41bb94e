import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtioBus, WindowsSwitchResult, WindowsSwitchStep } from '../../../../shared/domain/p2v';
import { call, waitTask, type Credentials } from '../../../../lab/api/lab-harness';
import { useLab } from '../../../../lab/api/use-lab';
import type { Services } from '../../create-services';
import { startLabServices, type LabServices } from '../../testing';
import { parseDriveValue } from './drive-value';

/**
 * The switch on Windows-type lab guests (ostype win11, booting from sata0 with
 * the virtio-win ISO in ide2, as the P2V engine creates them), each beside a
 * twin created the same way and switched by hand through the API as an admin
 * does in PVE's web UI: Add Hard Disk, start and shut down, Detach and Remove
 * the disk, Detach sata0, Add the unused disk on the new bus, Boot Order. The
 * two configs must then agree field by field.
 */
const { lab, auth } = useLab(['--onboot', '0']);
const node = 'pve1';

describe('the Windows switch from SATA to virtio on the lab', () => {
  let services: Services;
  let ipc: LabServices['ipc'];
  let profileId: string;
  const token = (): Credentials => ({ token: auth.token });

  async function api(method: string, path: string, params: Record<string, string | number> = {}): Promise<unknown> {
    const res = await call(lab, method, path, { auth: token(), params });
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(200);
    return res.body.data;
  }

  /** A call that starts a task, followed to its successful end. */
  async function task(method: string, path: string, params: Record<string, string | number> = {}): Promise<void> {
    const upid = (await api(method, path, params)) as string;
    const ended = await waitTask(lab, token(), upid, 120_000);
    expect(ended.exitstatus, ended.log.join('\n')).toBe('OK');
  }

  async function config(vmid: number): Promise<Record<string, string>> {
    return (await api('GET', `/nodes/${node}/qemu/${vmid}/config`)) as Record<string, string>;
  }

  async function images(vmid: number): Promise<string[]> {
    return ((await api('GET', `/nodes/${node}/storage/local/content`, { content: 'images', vmid })) as { volid: string }[]).map((entry) => entry.volid);
  }

  /** A Windows guest as the engine leaves it: its disk on sata0 with options an admin might have set. */
  async function createWindowsGuest(name: string): Promise<number> {
    const vmid = Number(await api('GET', '/cluster/nextid'));
    await task('POST', `/nodes/${node}/qemu`, {
      vmid,
      name,
      ostype: 'win11',
      memory: 256,
      cores: 1,
      sata0: 'local:2,format=qcow2,cache=writeback,discard=on,ssd=1',
      ide2: 'local:iso/virtio-win.iso,media=cdrom',
      net0: 'e1000,bridge=vmbr0',
      boot: 'order=sata0;ide2;net0',
    });
    return vmid;
  }

  /** One button of the wizard: `p2v.windowsSwitch` through the IPC router, as the renderer calls it. */
  function step(vmid: number, name: WindowsSwitchStep, bus: VirtioBus): Promise<WindowsSwitchResult> {
    return ipc('p2v.windowsSwitch', { profileId, node, vmid, step: name, bus, temporaryStorage: 'local' });
  }

  function expectAllHold(result: WindowsSwitchResult): void {
    expect(result.checks.filter((check) => !check.ok)).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(0);
  }

  /** What an admin does by hand in the web UI, each dialog one config call. */
  async function switchByHand(vmid: number, bus: VirtioBus, options: string, withBoot: boolean): Promise<void> {
    const path = `/nodes/${node}/qemu/${vmid}/config`;
    const target = `${bus}0`;
    // Hardware → Add → Hard Disk (scsi: the controller set to VirtIO SCSI single first, in Options → SCSI Controller).
    if (bus === 'scsi') await task('POST', path, { scsihw: 'virtio-scsi-single' });
    await task('POST', path, { [target]: 'local:1' });
    if (withBoot) {
      await task('POST', `/nodes/${node}/qemu/${vmid}/status/start`);
      await task('POST', `/nodes/${node}/qemu/${vmid}/status/stop`);
    }
    // Detach the temporary disk, then Remove the unused disk it became.
    await task('POST', path, { delete: target });
    const detached = await config(vmid);
    const unusedTemporary = Object.keys(detached).find((key) => /^unused\d+$/.test(key));
    expect(unusedTemporary).toBeDefined();
    await task('POST', path, { delete: unusedTemporary ?? '' });
    // Detach sata0; Edit the unused disk: bus and options; Options → Boot Order.
    const bootVolume = parseDriveValue((await config(vmid)).sata0 ?? '').volume;
    await task('POST', path, { delete: 'sata0' });
    const unusedBoot = Object.entries(await config(vmid)).find(([key, value]) => /^unused\d+$/.test(key) && value === bootVolume)?.[0];
    expect(unusedBoot).toBeDefined();
    await task('POST', path, { [target]: `${bootVolume},${options}` });
    await task('POST', path, { boot: `order=${target};ide2;net0` });
  }

  /** The two configs field by field, each guest's own names (VMID in volumes, name, MAC, UUIDs) set aside. */
  function expectSameConfig(switched: Record<string, string>, switchedVmid: number, twin: Record<string, string>, twinVmid: number): void {
    const own = new Set(['digest', 'name', 'meta', 'smbios1', 'vmgenid']);
    const normalise = (values: Record<string, string>, vmid: number): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(values)
          .filter(([key]) => !own.has(key))
          .map(([key, value]) => {
            if (/^net\d+$/.test(key)) return [key, value.replace(/=([0-9A-F]{2}:){5}[0-9A-F]{2}/i, '=<mac>')];
            if (!/^(ide|sata|scsi|virtio)\d+$/.test(key)) return [key, value];
            const drive = parseDriveValue(value.replaceAll(`vm-${vmid}-`, 'vm-<vmid>-').replaceAll(`:${vmid}/`, ':<vmid>/'));
            // PVE prints a drive's options in its own order: compare them as a set.
            return [key, { volume: drive.volume, options: Object.fromEntries(drive.options) }];
          }),
      );
    expect(normalise(switched, switchedVmid)).toEqual(normalise(twin, twinVmid));
  }

  beforeAll(async () => {
    const isoDir = join(lab.ready.stateDir, 'lab1', 'nodes', node, 'local', 'template', 'iso');
    mkdirSync(isoDir, { recursive: true });
    writeFileSync(join(isoDir, 'virtio-win.iso'), Buffer.alloc(64 * 1024));
    const started = await startLabServices(lab.ready, 'windows-switch');
    ({ services, ipc } = started);
    profileId = await started.connect('Lab as root', lab.ready.accounts.root);
  });

  afterAll(async () => {
    await services?.close();
  });

  it('switches to virtio-blk in three guided steps and leaves the config of a switch made by hand', async () => {
    const vmid = await createWindowsGuest('win-switch-blk');
    const twin = await createWindowsGuest('win-twin-blk');

    const added = await step(vmid, 'add-temporary-disk', 'virtio');
    expectAllHold(added);
    expect(added.next).toEqual({ key: 'p2v.windowsSwitch.next.installDriver', params: { driver: 'viostor', disk: 'virtio0' } });
    const temporary = parseDriveValue((await config(vmid)).virtio0 ?? '');
    // On the storage's default format (raw on a dir storage), as the Add Hard Disk dialog leaves it.
    expect(temporary.volume).toMatch(new RegExp(`^local:${vmid}/vm-${vmid}-disk-1\\.raw$`));
    expect(temporary.options).toEqual([
      ['serial', 'p2v-driver-disk'],
      ['size', '1G'],
    ]);
    // A second press adds no second disk.
    expectAllHold(await step(vmid, 'add-temporary-disk', 'virtio'));
    expect(Object.keys(await config(vmid)).filter((key) => /^virtio\d+$/.test(key))).toEqual(['virtio0']);

    // The user boots Windows to install viostor: every step refuses to change a running guest.
    await task('POST', `/nodes/${node}/qemu/${vmid}/status/start`);
    await expect(step(vmid, 'remove-temporary-disk', 'virtio')).rejects.toMatchObject({
      code: 'GUEST_RUNNING',
      message: expect.stringContaining('Shut Windows down'),
    });
    // The lab's Windows guests sit at the firmware screen, deaf to ACPI: stop rather than shut down.
    await task('POST', `/nodes/${node}/qemu/${vmid}/status/stop`);

    const removed = await step(vmid, 'remove-temporary-disk', 'virtio');
    expectAllHold(removed);
    expect(removed.checks).toContainEqual({
      key: temporary.volume,
      expected: 'deleted from local',
      actual: 'not on local',
      ok: true,
    });
    expect(await images(vmid)).toEqual([`local:${vmid}/vm-${vmid}-disk-0.qcow2`]);

    const moved = await step(vmid, 'move-boot-disk', 'virtio');
    expectAllHold(moved);
    expect(moved.next).toEqual({ key: 'p2v.windowsSwitch.next.startOnVirtio', params: { driver: 'viostor', disk: 'virtio0' } });
    const switched = await config(vmid);
    expect(switched.boot).toBe('order=virtio0;ide2;net0');
    expect(switched.sata0).toBeUndefined();
    expect(Object.keys(switched).filter((key) => key.startsWith('unused'))).toEqual([]);
    expect(parseDriveValue(switched.virtio0 ?? '')).toEqual({
      volume: `local:${vmid}/vm-${vmid}-disk-0.qcow2`,
      options: expect.arrayContaining([
        ['cache', 'writeback'],
        ['discard', 'on'],
        ['size', '2G'],
      ]) as unknown,
    });
    expect(switched.virtio0).not.toContain('ssd');
    // A second press changes nothing and still checks out.
    expectAllHold(await step(vmid, 'move-boot-disk', 'virtio'));
    expect((await config(vmid)).digest).toBe(switched.digest);

    await switchByHand(twin, 'virtio', 'cache=writeback,discard=on', true);
    expectSameConfig(switched, vmid, await config(twin), twin);
    expect(await images(twin)).toEqual([`local:${twin}/vm-${twin}-disk-0.qcow2`]);
  });

  it('switches to virtio-scsi (controller set, ssd kept; an edit in between refused by the digest) and leaves the config of a switch made by hand', async () => {
    const vmid = await createWindowsGuest('win-switch-scsi');
    const twin = await createWindowsGuest('win-twin-scsi');

    const added = await step(vmid, 'add-temporary-disk', 'scsi');
    expectAllHold(added);
    expect(added.checks).toContainEqual(expect.objectContaining({ key: 'scsihw', actual: 'virtio-scsi-single', ok: true }));
    expect(added.next.params).toMatchObject({ driver: 'vioscsi', disk: 'scsi0' });
    expectAllHold(await step(vmid, 'remove-temporary-disk', 'scsi'));

    // Someone edits the VM while the step runs: the lab holds every call on its config 6 s, so an edit sent 2 s after
    // the press lands between the step's read and its change. The digest refuses the change; nothing is written.
    await api('POST', '/lab/faults', { delay: 6000, path: `/qemu/${vmid}/config$` });
    try {
      const pressed = step(vmid, 'move-boot-disk', 'scsi').then(
        () => undefined,
        (error: unknown) => error,
      );
      await sleep(2000);
      await api('PUT', `/nodes/${node}/qemu/${vmid}/config`, { description: 'edited meanwhile' });
      expect(await pressed).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Nothing was written') });
    } finally {
      await api('POST', '/lab/faults', { clear: 1 });
    }
    const untouched = await config(vmid);
    expect(untouched).toMatchObject({ description: 'edited meanwhile', boot: 'order=sata0;ide2;net0' });
    expect(untouched.scsi0).toBeUndefined();
    await api('PUT', `/nodes/${node}/qemu/${vmid}/config`, { delete: 'description' });

    const moved = await step(vmid, 'move-boot-disk', 'scsi');
    expectAllHold(moved);
    const switched = await config(vmid);
    expect(switched.scsihw).toBe('virtio-scsi-single');
    expect(switched.boot).toBe('order=scsi0;ide2;net0');
    expect(parseDriveValue(switched.scsi0 ?? '').options).toContainEqual(['ssd', '1']);

    await switchByHand(twin, 'scsi', 'cache=writeback,discard=on,ssd=1', false);
    expectSameConfig(switched, vmid, await config(twin), twin);
  });
});
