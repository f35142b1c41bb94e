/**
 * What the create-VM dialog needs from a node, as PVE answers it: the bridges
 * of GET /nodes/{node}/network (pve-manager Network.pm `index`) and a create
 * with the dialog's parameters (qemu-server `create_vm`), started at once with
 * `start=1`. At most one running guest (the one created).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, login, waitFor, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

describe('GET /nodes/{node}/network', () => {
  it('lists the vmbr0 bridge (with any_bridge and bridge filters) and the NIC under it', async () => {
    const all = (await call(lab, 'GET', '/nodes/pve2/network', { auth })).body.data as { iface: string; type: string }[];
    expect(all.map((item) => [item.iface, item.type])).toEqual([
      ['eno1', 'eth'],
      ['vmbr0', 'bridge'],
    ]);
    for (const type of ['any_bridge', 'bridge']) {
      const bridges = (await call(lab, 'GET', '/nodes/pve2/network', { auth, params: { type } })).body.data;
      expect(bridges).toEqual([expect.objectContaining({ iface: 'vmbr0', type: 'bridge', active: 1, autostart: 1, method: 'static', bridge_ports: 'eno1' })]);
    }
    expect((await call(lab, 'GET', '/nodes/pve2/network', { auth, params: { type: 'eth' } })).body.data).toEqual([expect.objectContaining({ iface: 'eno1' })]);
    const bad = await call(lab, 'GET', '/nodes/pve2/network', { auth, params: { type: 'nic' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('type');
  });

  it('shows a bridge only to who has SDN.Audit or SDN.Use on it, as check_sdn_bridge', async () => {
    const { userid, password } = lab.ready.accounts.user;
    const student = await login(lab, userid, password);
    const seen = (await call(lab, 'GET', '/nodes/pve1/network', { auth: student, params: { type: 'any_bridge' } })).body.data;
    expect(seen).toEqual([]);
  });
});

describe('POST /nodes/{node}/qemu as the create dialog sends it', () => {
  it('creates the guest with a new disk, an ISO, a NIC with a generated MAC, in its pool, and starts it', async () => {
    const isoDir = join(lab.ready.stateDir, 'lab1', 'nodes', 'pve1', 'local', 'template', 'iso');
    mkdirSync(isoDir, { recursive: true });
    writeFileSync(join(isoDir, 'installer.iso'), Buffer.alloc(64 * 1024));
    const vmid = (await call(lab, 'GET', '/cluster/nextid', { auth })).body.data as string;
    const res = await call(lab, 'POST', '/nodes/pve1/qemu', {
      auth,
      params: {
        vmid,
        name: 'created-vm',
        ostype: 'l26',
        memory: 128,
        cores: 1,
        scsihw: 'virtio-scsi-single',
        scsi0: 'shared:40,format=qcow2',
        ide2: 'local:iso/installer.iso,media=cdrom',
        net0: 'virtio,bridge=vmbr0',
        agent: 1,
        serial0: 'socket',
        pool: 'students',
        start: 1,
      },
    });
    expect(res.status, res.text).toBe(200);
    const created = await waitTask(lab, auth, res.body.data as string, 60_000);
    expect(created.exitstatus).toBe('OK');
    expect(created.log).toContain('Execute autostart');
    const config = (await call(lab, 'GET', `/nodes/pve1/qemu/${vmid}/config`, { auth })).body.data as Record<string, string>;
    expect(config).toMatchObject({
      name: 'created-vm',
      ostype: 'l26',
      agent: '1',
      ide2: 'local:iso/installer.iso,media=cdrom',
      scsi0: `shared:${vmid}/vm-${vmid}-disk-0.qcow2,size=40G`,
    });
    expect(config.net0).toMatch(/^virtio=BC:24:11(:[0-9A-F]{2}){3},bridge=vmbr0$/);
    expect(config.smbios1).toMatch(/^uuid=/);
    const pool = (await call(lab, 'GET', '/pools/students', { auth })).body.data as { members: { vmid: number }[] };
    expect(pool.members.map((m) => m.vmid)).toContain(Number(vmid));
    await waitFor('the created guest running', async () => {
      const status = (await call(lab, 'GET', `/nodes/pve1/qemu/${vmid}/status/current`, { auth })).body.data as { status: string };
      return status.status === 'running' ? status : undefined;
    });
    const stop = await call(lab, 'POST', `/nodes/pve1/qemu/${vmid}/status/stop`, { auth });
    expect((await waitTask(lab, auth, stop.body.data as string)).exitstatus).toBe('OK');
  }, 120_000);
});
