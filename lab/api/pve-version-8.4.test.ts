/**
 * The lab started as PVE 8.4 (`--pve-version 8.4`) answers as 8.4 where it
 * differs from 9, and the client reads those answers as it reads 9's
 * (tasks-conformance.test.ts has the same calls against the default, 9).
 */
import { describe, expect, it } from 'vitest';
import { versionCall, migratePreconditionCall, taskStatusCall, vzdumpCall } from '../../electron/services/pve';
import { call, login, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0', '--nodes', '2', '--pve-version', '8.4']);

describe('the lab as PVE 8.4', () => {
  it('reports 8.4 in /version and in the node status', async () => {
    const version = versionCall().data.parse((await call(lab, 'GET', '/version', { auth })).body.data);
    expect(version).toMatchObject({ version: '8.4.21', release: '8.4' });
    const status = (await call(lab, 'GET', '/nodes/pve1/status', { auth })).body.data as { pveversion: string };
    expect(status.pveversion).toBe(`pve-manager/8.4.21/${version.repoid}`);
  });

  it('answers the migration precondition without the 9.0 fields, which the client reads as absent', async () => {
    const raw = (await call(lab, 'GET', '/nodes/pve1/qemu/100/migrate', { auth })).body.data as Record<string, unknown>;
    expect(raw).toMatchObject({ running: 0, allowed_nodes: ['pve2'], local_resources: [] });
    expect(raw).not.toHaveProperty('has-dbus-vmstate');
    const precondition = migratePreconditionCall('pve1', 100).data.parse(raw);
    expect(precondition).toMatchObject({ allowedNodes: ['pve2'], refusedNodes: {}, canMigrateConntrack: false });
  });

  it('runs tasks with the same answers: "OK" from vzdump, user and tokenid apart', async () => {
    expect(vzdumpCall('pve1', { vmid: '101' }).data.parse((await call(lab, 'POST', '/nodes/pve1/vzdump', { auth, params: { vmid: 101 } })).body.data)).toEqual({
      started: false,
    });
    const upid = (await call(lab, 'POST', '/nodes/pve1/vzdump', { auth, params: { vmid: 99999 } })).body.data as string;
    await waitTask(lab, auth, upid);
    const status = taskStatusCall('pve1', upid).data.parse(
      (await call(lab, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`, { auth })).body.data,
    );
    expect(status).toMatchObject({ user: 'root@pam', tokenid: 'lab', exitstatus: 'job errors' });
  });

  it('guards the guest agent with VM.Monitor, which PVE 8.4 gave PVEAdmin but not PVEVMUser, and answers the resources without memhost', async () => {
    const agent = (credentials: { token?: string; ticket?: string; csrf?: string }) =>
      call(lab, 'GET', '/nodes/pve1/qemu/100/agent/network-get-interfaces', { auth: credentials });
    const { user, admin } = lab.ready.accounts;
    const refused = await agent(await login(lab, user.userid, user.password));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Permission check failed (/vms/100, VM.Monitor)\n');
    const allowed = await agent(await login(lab, admin.userid, admin.password));
    expect(allowed.body.message).toBe('VM 100 is not running\n');
    const items = (await call(lab, 'GET', '/cluster/resources', { auth })).body.data as Record<string, unknown>[];
    expect(items.find((i) => i.id === 'qemu/100')).not.toHaveProperty('memhost');
    // 8.4 lists its zones as `sdn` items, which the `sdn` filter finds.
    expect(((await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'sdn' } })).body.data as { id: string }[]).map((i) => i.id)).toEqual([
      'sdn/pve1/localnetwork',
      'sdn/pve2/localnetwork',
    ]);
  });
});
