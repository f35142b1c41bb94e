/**
 * HA resources as pve-ha-manager's PVE/API2/HA/Resources.pm serves them,
 * and the guest's HA state in /cluster/resources and status/current.
 */
import { describe, expect, it } from 'vitest';
import { call, login } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

interface Resource {
  sid: string;
  type: string;
  state: string;
  max_restart?: number;
  max_relocate?: number;
  comment?: string;
  digest: string;
}

async function resource(sid: string): Promise<Resource> {
  const res = await call(lab, 'GET', `/cluster/ha/resources/${sid}`, { auth });
  expect(res.status, res.statusMessage).toBe(200);
  return res.body.data as Resource;
}

async function hastate(vmid: number): Promise<{ inResources: string | undefined; status: unknown }> {
  const resources = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; hastate?: string }[];
  const status = (await call(lab, 'GET', `/nodes/pve1/qemu/${vmid}/status/current`, { auth })).body.data as { ha: unknown };
  return { inResources: resources.find((r) => r.vmid === vmid)?.hastate, status: status.ha };
}

describe('HA resources', () => {
  it('adds a guest by its bare VMID, reads it back as vm:<id>, and the guest shows its HA state', async () => {
    const added = await call(lab, 'POST', '/cluster/ha/resources', { auth, params: { sid: '203', state: 'stopped', max_restart: 2, comment: 'db' } });
    expect(added.status, added.statusMessage).toBe(200);
    expect(added.body.data).toBeNull();
    const read = await resource('vm:203');
    expect(read).toEqual({ sid: 'vm:203', type: 'vm', state: 'stopped', max_restart: 2, comment: 'db', digest: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const listed = (await call(lab, 'GET', '/cluster/ha/resources', { auth })).body.data as Resource[];
    expect(listed).toContainEqual(read);
    expect(await hastate(203)).toEqual({ inResources: 'stopped', status: { managed: 1, state: 'stopped' } });

    const again = await call(lab, 'POST', '/cluster/ha/resources', { auth, params: { sid: 'vm:203' } });
    expect(again.status).toBe(500);
    expect(again.statusMessage).toBe("create resource failed: resource ID 'vm:203' already defined");
  });

  it('updates settings against the digest and refuses a stale one, groups (PVE 9 rules) and an unknown guest', async () => {
    const before = await resource('vm:203');
    const updated = await call(lab, 'PUT', '/cluster/ha/resources/vm:203', {
      auth,
      params: { state: 'enabled', max_relocate: 3, delete: 'comment', digest: before.digest },
    });
    expect(updated.status, updated.statusMessage).toBe(200);
    const after = await resource('203');
    expect(after).toMatchObject({ state: 'started', max_restart: 2, max_relocate: 3 });
    expect(after.comment).toBeUndefined();
    expect(after.digest).not.toBe(before.digest);
    expect(await hastate(203)).toEqual({ inResources: 'started', status: { managed: 1, state: 'started' } });

    const stale = await call(lab, 'PUT', '/cluster/ha/resources/vm:203', { auth, params: { state: 'stopped', digest: before.digest } });
    expect(stale.status).toBe(500);
    expect(stale.statusMessage).toBe('detected modified configuration - file changed by other user? Try again.');
    const group = await call(lab, 'PUT', '/cluster/ha/resources/vm:203', { auth, params: { group: 'prod' } });
    expect(group.statusMessage).toBe("invalid parameter 'group': ha groups have been migrated to rules");
    const unknown = await call(lab, 'POST', '/cluster/ha/resources', { auth, params: { sid: '99999' } });
    expect(unknown.statusMessage).toBe('unable to detect SID from VMID - VM/CT 99999 does not exist');
    expect((await resource('vm:203')).state).toBe('started');
  });

  it('needs Sys.Console on / to change a resource', async () => {
    const { user } = lab.ready.accounts;
    const asUser = await login(lab, user.userid, user.password);
    const refused = await call(lab, 'DELETE', '/cluster/ha/resources/vm:203', { auth: asUser });
    expect(refused.status).toBe(403);
    expect((await resource('vm:203')).sid).toBe('vm:203');
  });

  it('removes a resource: the guest is no longer HA-managed, and a second removal says so', async () => {
    const removed = await call(lab, 'DELETE', '/cluster/ha/resources/vm:203', { auth });
    expect(removed.status, removed.statusMessage).toBe(200);
    expect(await hastate(203)).toEqual({ inResources: undefined, status: { managed: 0 } });
    const read = await call(lab, 'GET', '/cluster/ha/resources/vm:203', { auth });
    expect(read.statusMessage).toBe("no such resource 'vm:203'");
    const again = await call(lab, 'DELETE', '/cluster/ha/resources/203', { auth });
    expect(again.statusMessage).toBe("cannot delete service 'vm:203', not HA managed!");
  });
});
