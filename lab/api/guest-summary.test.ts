/**
 * What a guest summary reads, as PVE 9 answers it: status/current in full
 * (qemu-server `vm_status`), the pool figures of /cluster/resources, and the
 * guest agent's errors when nobody answers (Agent.pm, `assert_agent_available`).
 * Guest 100 runs (`--onboot 1`): `agent: 0`, 128 MiB, one NIC.
 */
import { describe, expect, it } from 'vitest';
import { guestStatusData } from '../../shared/pve/guest';
import { call, login, waitFor, type Credentials } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '1']);

type Item = Record<string, unknown>;
const MIB = 1024 * 1024;

async function agentInterfaces(node: string, vmid: number, credentials: Credentials = auth): Promise<{ status: number; message?: string }> {
  const res = await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/agent/network-get-interfaces`, { auth: credentials });
  return { status: res.status, message: res.body.message };
}

describe('status/current of a running guest', () => {
  it('gives the balloon, the NICs, the memory the host sees and the HA state', async () => {
    const raw = (await call(lab, 'GET', '/nodes/pve1/qemu/100/status/current', { auth })).body.data as Item;
    const status = guestStatusData.parse(raw);
    expect(status).toMatchObject({ status: 'running', ha: { managed: false }, ballooninfo: { actual: 128 * MIB, max_mem: 128 * MIB } });
    expect(raw).toMatchObject({ ha: { managed: 0 }, balloon: 128 * MIB, nics: { tap100i0: { netin: 0, netout: 0 } }, clipboard: 'vnc', serial: 1 });
    expect(raw.memhost).toEqual(expect.any(Number));
    expect(raw).not.toHaveProperty('agent');
    expect(raw).not.toHaveProperty('balloon_min');
  });

  it('leaves out what only a running guest has, and gives an HA guest its state without a group', async () => {
    const stopped = (await call(lab, 'GET', '/nodes/pve1/qemu/113/status/current', { auth })).body.data as Item;
    expect(stopped).toMatchObject({ status: 'stopped', qmpstatus: 'stopped', ha: { managed: 1, state: 'stopped' }, agent: 1 });
    expect(stopped.ha).toEqual({ managed: 1, state: 'stopped' });
    for (const key of ['ballooninfo', 'balloon', 'nics', 'running-qemu', 'pid']) expect(stopped).not.toHaveProperty(key);
    // A display without a clipboard option: vm_status copies the missing value, JSON null.
    expect((await call(lab, 'GET', '/nodes/pve2/qemu/101/status/current', { auth })).body.data).toMatchObject({ spice: 1, clipboard: null });
  });

  it("adds a running member's figures to its pool item in /cluster/resources", async () => {
    // Cluster.pm counts members whose uptime is not 0: the guest's first second does not count yet.
    const items = await waitFor('guest 100 counted in its pool', async () => {
      const answer = (await call(lab, 'GET', '/cluster/resources', { auth })).body.data as Item[];
      return answer.find((i) => i.id === '/pool/students')?.uptime ? answer : undefined;
    });
    expect(items.find((i) => i.id === '/pool/students')).toMatchObject({
      type: 'pool',
      pool: 'students',
      maxmem: 128 * MIB,
      maxcpu: 1,
      cpu: expect.any(Number),
    });
    expect(items.find((i) => i.id === '/pool/services')).toEqual({ id: '/pool/services', pool: 'services', type: 'pool' });
  });
});

describe('the guest agent nobody answers', () => {
  it("says why in PVE's words: not configured, guest not running, agent not running", async () => {
    expect(await agentInterfaces('pve1', 100)).toEqual({ status: 500, message: 'QEMU guest agent is not running\n' });
    expect(await agentInterfaces('pve1', 116)).toEqual({ status: 500, message: 'VM 116 is not running\n' });
    expect((await call(lab, 'PUT', '/nodes/pve2/qemu/117/config', { auth, params: { delete: 'agent' } })).status).toBe(200);
    expect(await agentInterfaces('pve2', 117)).toEqual({ status: 500, message: 'No QEMU guest agent configured\n' });
    expect((await agentInterfaces('pve2', 100)).message).toBe("Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist\n");
    const index = (await call(lab, 'GET', '/nodes/pve1/qemu/100/agent', { auth })).body.data as { name: string }[];
    expect(index.map((c) => c.name)).toContain('network-get-interfaces');
    expect(index.map((c) => c.name)).toEqual([...index.map((c) => c.name)].sort());
  });

  it('asks for VM.GuestAgent.Audit (or Unrestricted) on the guest, which a PVEVMUser has on its pool only', async () => {
    const { user } = lab.ready.accounts;
    const student = await login(lab, user.userid, user.password);
    expect(await agentInterfaces('pve1', 100, student)).toEqual({ status: 500, message: 'QEMU guest agent is not running\n' });
    expect(await agentInterfaces('pve1', 116, student)).toEqual({
      status: 403,
      message: 'Permission check failed (/vms/116, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)\n',
    });
  });
});
