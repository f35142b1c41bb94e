import { describe, expect, it } from 'vitest';
import type { GuestStatus } from '../pve';
import { readClusterSummary } from './cluster-summary';
import { maxDescriptionLength, readGuestSummary } from './guest-summary';
import { readNodeSummary } from './node-summary';
import { readPoolSummary } from './pool-summary';
import { fakeInventoryClient, permissionDenied, serverError } from './testing';

const profileId = '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10';
const guest = { profileId, node: 'pve1', vmid: 100 };
const MiB = 1024 ** 2;

const running: GuestStatus = {
  status: 'running',
  qmpstatus: 'running',
  uptime: 3600,
  cpu: 0.25,
  cpus: 4,
  mem: 1500 * MiB,
  maxmem: 4096 * MiB,
  agent: true,
  ha: { managed: true, state: 'started', group: 'prod' },
  ballooninfo: { actual: 3000 * MiB, max_mem: 4096 * MiB },
};

const config = {
  name: 'debian\u202E-lab',
  memory: '4096',
  balloon: 2048,
  sockets: 1,
  cores: 4,
  cpu: 'x86-64-v2-AES,flags=+aes',
  ostype: 'l26',
  agent: 'enabled=1',
  tags: 'web;prod',
  scsi0: 'local:100/vm-100-disk-0.qcow2,size=32G',
  ide2: 'none,media=cdrom',
  net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=10',
  net1: 'e1000=BC:24:11:00:00:02,bridge=vmbr1',
  description: '# Notes\n<script>alert(1)</script>',
  digest: 'abc123',
};

describe('guest summary', () => {
  it('joins status, config and the agent: NIC addresses matched by MAC, balloon, HA, the pool from the inventory', async () => {
    const client = fakeInventoryClient();
    client.getGuestStatus.mockResolvedValue(running);
    client.getGuestConfig.mockResolvedValue(config);
    client.getAgentInterfaces.mockResolvedValue([
      { name: 'lo', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1'] },
      { name: 'ens18', mac: 'bc:24:11:00:00:01', addresses: ['192.0.2.10', 'fe80::be24:11ff:fe00:1'] },
    ]);
    const summary = await readGuestSummary(client, guest, 'students');
    expect(summary).toEqual({
      profileId,
      node: 'pve1',
      vmid: 100,
      name: 'debian-lab',
      status: 'running',
      qmpstatus: 'running',
      uptime: 3600,
      cpu: 0.25,
      cpus: 4,
      sockets: 1,
      cores: 4,
      cpuType: 'x86-64-v2-AES',
      mem: 1500 * MiB,
      maxmem: 4096 * MiB,
      balloon: { min: 2048 * MiB, actual: 3000 * MiB },
      ostype: 'l26',
      template: false,
      tags: ['web', 'prod'],
      pool: 'students',
      ha: { managed: true, state: 'started', group: 'prod' },
      disks: [
        { key: 'ide2', volume: 'none', media: 'cdrom' },
        { key: 'scsi0', volume: 'local:100/vm-100-disk-0.qcow2', size: 32 * 1024 ** 3, media: 'disk' },
      ],
      nics: [
        { key: 'net0', model: 'virtio', mac: 'bc:24:11:00:00:01', bridge: 'vmbr0', vlan: 10, firewall: true, addresses: ['192.0.2.10'] },
        { key: 'net1', model: 'e1000', mac: 'bc:24:11:00:00:02', bridge: 'vmbr1' },
      ],
      agent: 'answered',
      description: '# Notes\n<script>alert(1)</script>',
      digest: 'abc123',
    });
  });

  it('says why there are no agent addresses: disabled, not running, refused', async () => {
    const client = fakeInventoryClient();
    client.getGuestStatus.mockResolvedValue(running);
    client.getGuestConfig.mockResolvedValue({ ...config, agent: 0 });
    expect((await readGuestSummary(client, guest, undefined)).agent).toBe('disabled');

    client.getGuestConfig.mockResolvedValue(config);
    client.getAgentInterfaces.mockRejectedValue(serverError('QEMU guest agent is not running'));
    expect((await readGuestSummary(client, guest, undefined)).agent).toBe('not-running');

    client.getAgentInterfaces.mockRejectedValue(permissionDenied('/vms/100', 'VM.GuestAgent.Audit'));
    expect((await readGuestSummary(client, guest, undefined)).agent).toBe('no-permission');

    client.getGuestStatus.mockResolvedValue({ status: 'stopped', qmpstatus: 'stopped' });
    client.getAgentInterfaces.mockClear();
    const stopped = await readGuestSummary(client, guest, undefined);
    expect(stopped).toMatchObject({ agent: 'not-running', balloon: { min: 2048 * MiB } });
    expect(stopped.balloon?.actual).toBeUndefined();
    expect(stopped.ha).toBeUndefined();
    expect(client.getAgentInterfaces).not.toHaveBeenCalled();
  });

  it('cuts a description longer than 100 000 characters and says from what length, without its bidi controls', async () => {
    const client = fakeInventoryClient();
    client.getGuestStatus.mockResolvedValue({ status: 'stopped' });
    client.getGuestConfig.mockResolvedValue({ description: `\u202E${'a'.repeat(150_000)}` });
    const summary = await readGuestSummary(client, guest, undefined);
    expect(summary.description).toHaveLength(maxDescriptionLength);
    expect(summary.description?.startsWith('aaa')).toBe(true);
    expect(summary.descriptionTruncatedFrom).toBe(150_000);
  });
});

describe('node and cluster summaries', () => {
  it('reads a node status and its storages with their fill and content', async () => {
    const client = fakeInventoryClient();
    client.getNodeStatus.mockResolvedValue({
      uptime: 86_400,
      cpu: 0.1,
      loadavg: [0.5, 0.25, 0.125],
      cpuinfo: { model: 'AMD EPYC', cpus: 16 },
      memory: { used: 8, total: 32 },
      swap: { used: 0, total: 4 },
      ksm: { shared: 1024 },
      pveversion: 'pve-manager/9.0.3/025864202ebb6109',
      kversion: 'Linux 6.14.8-2-pve',
    });
    client.getNodeStorage.mockResolvedValue([
      { storage: 'shared', type: 'nfs', content: 'images,iso', shared: true, active: true, enabled: true, used: 10, total: 100, avail: 90 },
      { storage: 'local', type: 'dir', content: 'backup,iso,vztmpl', active: true },
    ]);
    expect(await readNodeSummary(client, profileId, 'pve1', 'online')).toEqual({
      profileId,
      node: 'pve1',
      status: 'online',
      uptime: 86_400,
      cpu: 0.1,
      cpus: 16,
      cpuModel: 'AMD EPYC',
      loadavg: [0.5, 0.25, 0.125],
      memory: { used: 8, total: 32 },
      swap: { used: 0, total: 4 },
      ksmShared: 1024,
      pveVersion: 'pve-manager/9.0.3/025864202ebb6109',
      kernel: 'Linux 6.14.8-2-pve',
      storages: [
        { storage: 'local', type: 'dir', content: ['backup', 'iso', 'vztmpl'], shared: false, active: true, enabled: true },
        { storage: 'shared', type: 'nfs', content: ['images', 'iso'], shared: true, active: true, enabled: true, used: 10, total: 100, avail: 90 },
      ],
    });
  });

  it('reads quorum and node states, and lets PERMISSION_DENIED through when the user may not read them', async () => {
    const client = fakeInventoryClient();
    client.getClusterStatus.mockResolvedValue({
      cluster: { name: 'lab', quorate: true, nodes: 2 },
      nodes: [
        { name: 'pve1', online: true, ip: '127.0.0.1', local: true },
        { name: 'pve2', online: false, local: false },
      ],
    });
    expect(await readClusterSummary(client, profileId)).toEqual({
      profileId,
      clusterName: 'lab',
      quorate: true,
      nodes: [
        { name: 'pve1', online: true, ip: '127.0.0.1' },
        { name: 'pve2', online: false },
      ],
    });
    client.getClusterStatus.mockRejectedValue(permissionDenied('/', 'Sys.Audit'));
    await expect(readClusterSummary(client, profileId)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('reads a pool comment without its bidi controls, capped, and says when the user may not audit the pool', async () => {
    const client = fakeInventoryClient();
    client.getPool.mockResolvedValue([{ poolid: 'students', comment: `<b>VMs</b> \u202Eof students ${'x'.repeat(5000)}` }]);
    const summary = await readPoolSummary(client, profileId, 'students');
    expect(client.getPool).toHaveBeenCalledWith('students');
    expect(summary).toMatchObject({ profileId, pool: 'students', audited: true });
    expect(summary.comment?.startsWith('<b>VMs</b> of students x')).toBe(true);
    expect(summary.comment).toHaveLength(4096);
    client.getPool.mockResolvedValue([]);
    expect(await readPoolSummary(client, profileId, 'students')).toEqual({ profileId, pool: 'students', audited: false });
  });
});
