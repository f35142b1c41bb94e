import { describe, expect, it } from 'vitest';
import { clusterResourcesData, clusterStatusData, nodesData } from '../../shared/pve/cluster';
import {
  type ApiCall,
  domainsCall,
  permissionsCall,
  ticketCall,
  versionCall,
  clusterResourcesCall,
  clusterStatusCall,
  nodesCall,
  migratePreconditionCall,
  nodeTasksCall,
  taskStatusCall,
} from '../../electron/services/pve';
import { call, waitTask, type Credentials } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

/** Sends the client's call to the lab as the client would (its path, query and form) and returns the parsed `data`. */
async function viaClientSchema<T>(apiCall: ApiCall<T>, credentials: Credentials | undefined = auth): Promise<T> {
  const fields = { ...apiCall.query, ...apiCall.form };
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) params[key] = typeof value === 'boolean' ? Number(value) : value;
  const res = await call(lab, apiCall.method, apiCall.path, { ...(apiCall.authenticated ? { auth: credentials } : {}), params });
  expect(res.status, `${apiCall.name}: ${res.body.message ?? ''}`).toBe(200);
  const parsed = apiCall.data.safeParse(res.body.data);
  expect(parsed.error?.issues ?? [], apiCall.name).toEqual([]);
  return parsed.data as T;
}

describe("the lab's answers parse with the client's schemas (one definition, both sides)", () => {
  it('cluster, nodes and version', async () => {
    // The client's calls use the schemas of shared/pve: the lab's tests and the app check the same definition.
    expect(clusterResourcesCall().data).toBe(clusterResourcesData);
    expect(clusterStatusCall().data).toBe(clusterStatusData);
    expect(nodesCall().data).toBe(nodesData);
    for (const filter of [undefined, 'vm', 'storage', 'node', 'sdn'] as const) await viaClientSchema(clusterResourcesCall(filter));
    const status = await viaClientSchema(clusterStatusCall());
    expect(status.cluster?.name).toBe('lab1');
    const nodes = await viaClientSchema(nodesCall());
    expect(nodes.every((n) => n.ssl_fingerprint !== undefined)).toBe(true);
    const version = await viaClientSchema(versionCall());
    expect(version.release).toMatch(/^\d+\.\d+$/);
  });

  it('access: domains, ticket and permissions', async () => {
    const realms = await viaClientSchema(domainsCall(), undefined);
    expect(realms.map((r) => r.realm)).toContain('pam');
    const { userid, password } = lab.ready.accounts.user;
    const ticket = await viaClientSchema(ticketCall({ username: userid, password }), undefined);
    expect(ticket.username).toBe(userid);
    const permissions = await viaClientSchema(permissionsCall());
    expect(Object.keys(permissions).length).toBeGreaterThan(0);
  });

  it('tasks and the migration precondition', async () => {
    const upid = String((await call(lab, 'POST', '/nodes/pve1/qemu/116/config', { auth, params: { description: 'schema check' } })).body.data);
    await waitTask(lab, auth, upid);
    const status = await viaClientSchema(taskStatusCall('pve1', upid));
    expect(status.status).toBe('stopped');
    const tasks = await viaClientSchema(nodeTasksCall('pve1', { source: 'all', limit: 50 }));
    expect(tasks.length).toBeGreaterThan(0);
    await viaClientSchema(migratePreconditionCall('pve1', 116, 'pve2'));
  });
});
