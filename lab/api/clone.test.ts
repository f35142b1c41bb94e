/**
 * Clone as qemu-server's clone_vm (PVE/API2/Qemu.pm) runs it: full and
 * linked clones of the seeded template 9000, with real qemu-img images.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuImg } from '../cluster/disks';
import { call, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

/** Where the lab keeps a volume's file: searched in its state dir, as a test cannot know each storage's layout. */
function volumePath(fileName: string): string {
  const found = readdirSync(lab.ready.stateDir, { recursive: true, encoding: 'utf8' }).find((p) => p.endsWith(`/${fileName}`));
  if (!found) throw new Error(`no file ${fileName} in the lab's state dir`);
  return join(lab.ready.stateDir, found);
}

async function config(node: string, vmid: number): Promise<Record<string, string>> {
  return (await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/config`, { auth })).body.data as Record<string, string>;
}

async function clone(params: Record<string, string | number>): Promise<{ exitstatus: string; log: string[] }> {
  const res = await call(lab, 'POST', '/nodes/pve1/qemu/9000/clone', { auth, params });
  expect(res.status, res.text).toBe(200);
  expect(res.body.data).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:9000:root@pam!lab:$/);
  return waitTask(lab, auth, res.body.data as string);
}

describe('clone of the template 9000', () => {
  it('makes a full copy on another storage and format, with new MACs and uuids, listed in /cluster/resources', async () => {
    const done = await clone({ newid: 700, name: 'pc-full', full: 1, storage: 'local', format: 'raw', pool: 'pxe' });
    expect(done.exitstatus).toBe('OK');
    expect(done.log).toContain('creating a clone of VM 9000 with ID 700');
    expect(done.log).toContain('create full clone of drive scsi0 (shared:9000/vm-9000-disk-0.qcow2)');
    const source = await config('pve1', 9000);
    const copy = await config('pve1', 700);
    expect(copy.scsi0).toMatch(/^local:700\/vm-700-disk-0\.raw,/);
    expect(copy.name).toBe('pc-full');
    expect(copy.template).toBeUndefined();
    expect(copy.net0?.replace(/=[0-9A-F:]{17}/, '')).toBe(source.net0?.replace(/=[0-9A-F:]{17}/, ''));
    expect(copy.net0).not.toBe(source.net0);
    expect(copy.smbios1).not.toBe(source.smbios1);
    expect(copy.vmgenid).not.toBe(source.vmgenid);
    const info = JSON.parse(await qemuImg(['info', '--output=json', volumePath('vm-700-disk-0.raw')])) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'raw', 'virtual-size': 16 * 1024 ** 3 });
    const resources = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as {
      vmid: number;
      name: string;
      pool?: string;
      template: number;
    }[];
    expect(resources.find((r) => r.vmid === 700)).toMatchObject({ name: 'pc-full', pool: 'pxe', template: 0 });
  });

  it('makes a linked clone by default: a qcow2 backed by the template’s disk, on another node through shared storage', async () => {
    const done = await clone({ newid: 701, target: 'pve2' });
    expect(done.exitstatus).toBe('OK');
    expect(done.log).toContain('create linked clone of drive scsi0 (shared:9000/vm-9000-disk-0.qcow2)');
    const copy = await config('pve2', 701);
    expect(copy.name).toBe('Copy-of-VM-pxe-ref-debian12');
    expect(copy.scsi0).toMatch(/^shared:701\/vm-701-disk-0\.qcow2,/);
    const info = JSON.parse(await qemuImg(['info', '--output=json', volumePath('vm-701-disk-0.qcow2')])) as {
      'backing-filename': string;
      'full-backing-filename': string;
    };
    // Relative, as PVE's dir storage writes it: the clone follows the storage wherever it is mounted.
    expect(info['backing-filename']).toBe('../9000/vm-9000-disk-0.qcow2');
    expect(resolve(info['full-backing-filename'])).toBe(volumePath('vm-9000-disk-0.qcow2'));
  });

  it('refuses an id in use and a linked clone of a guest that is not a template, before any task', async () => {
    const used = await call(lab, 'POST', '/nodes/pve1/qemu/9000/clone', { auth, params: { newid: 113 } });
    expect(used.status).toBe(500);
    expect(used.statusMessage).toBe('unable to create VM 113: config file already exists');
    const linked = await call(lab, 'POST', '/nodes/pve1/qemu/113/clone', { auth, params: { newid: 702, full: 0 } });
    expect(linked.status).toBe(500);
    expect(linked.statusMessage).toMatch(/^Linked clone feature is not supported for '[^']+' \(scsi0\)$/);
    expect((await call(lab, 'GET', '/nodes/pve1/qemu/702/config', { auth })).status).toBe(500);
  });
});
