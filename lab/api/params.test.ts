import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { NOT_IN_SCHEMA } from './params';
import { call, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

/** A request with a body whatever its method (the harness only sends bodies with POST and PUT). */
function withBody(method: string, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${lab.api}/api2/json${path}`,
      {
        method,
        ca: lab.ca,
        agent: false,
        headers: {
          Authorization: `PVEAPIToken=${auth.token}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('parameters as PVE checks them', () => {
  it('refuses a parameter the method does not declare, on any route, before the handler runs', async () => {
    const version = await call(lab, 'GET', '/version', { auth, params: { verbose: 1 } });
    expect(version.status).toBe(400);
    expect(version.body.message).toBe('Parameter verification failed.\n');
    expect(version.body.errors).toEqual({ verbose: NOT_IN_SCHEMA });
    const resources = await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm', full: 1 } });
    expect(resources.body.errors).toEqual({ full: NOT_IN_SCHEMA });
    // A guest that does not exist is not looked up: the parameter check comes first.
    const start = await call(lab, 'POST', '/nodes/pve1/qemu/4999/status/start', { auth, params: { hurry: 1 } });
    expect(start.status).toBe(400);
    expect(start.body.errors).toEqual({ hurry: NOT_IN_SCHEMA });
    // Path parameters count as declared.
    const same = await call(lab, 'GET', '/nodes/pve1/qemu/100/status/current', { auth, params: { node: 'pve1', vmid: 100 } });
    expect(same.status).toBe(200);
    // A parameter PVE declares passes, even one the lab has nothing to do for.
    expect((await call(lab, 'GET', '/nodes/pve1/qemu', { auth, params: { full: 1 } })).status).toBe(200);
  });

  it('checks path parameters and values with their PVE formats', async () => {
    const lowVmid = await call(lab, 'GET', '/nodes/pve1/qemu/99/status/current', { auth });
    expect(lowVmid.status).toBe(400);
    expect(Object.keys(lowVmid.body.errors ?? {})).toEqual(['vmid']);
    const badNode = await call(lab, 'GET', '/nodes/pve_1/qemu', { auth });
    expect(badNode.body.errors?.node).toMatch(/valid node name/);
    const badStorage = await call(lab, 'GET', '/nodes/pve1/storage/l/content', { auth });
    expect(badStorage.body.errors?.storage).toMatch(/storage ID/);
    const badName = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { name: 'not_a_dns_name' } });
    expect(badName.body.errors?.name).toMatch(/DNS name/);
  });

  it('answers 501 to a GET or DELETE that carries a body', async () => {
    const get = await withBody('GET', '/version', 'a=1');
    expect(get.status).toBe(501);
    expect(JSON.parse(get.text)).toEqual({ data: null, message: "Unexpected content for method 'GET'\n" });
    const del = await withBody('DELETE', '/nodes/pve1/qemu/4999', 'purge=1');
    expect(del.status).toBe(501);
    expect(JSON.parse(del.text)).toEqual({ data: null, message: "Unexpected content for method 'DELETE'\n" });
  });
});

describe('config updates', () => {
  it('POST answers a UPID and the change shows when the qmconfig task ends; PUT answers null', async () => {
    const posted = await call(lab, 'POST', '/nodes/pve1/qemu/116/config', { auth, params: { description: 'async' } });
    expect(posted.status).toBe(200);
    const upid = String(posted.body.data);
    expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmconfig:116:root@pam!lab:$/);
    expect((await waitTask(lab, auth, upid)).exitstatus).toBe('OK');
    const after = await call(lab, 'GET', '/nodes/pve1/qemu/116/config', { auth });
    expect((after.body.data as { description: string }).description).toBe('async');
    const put = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { description: 'sync' } });
    expect(put.body.data).toBeNull();
  });
});

describe('answers as PVE shapes them', () => {
  it('guest lists and status/current carry cpus, not maxcpu; /cluster/resources keeps maxcpu; agent only when enabled', async () => {
    const list = (await call(lab, 'GET', '/nodes/pve1/qemu', { auth })).body.data as Record<string, unknown>[];
    expect(list.length).toBeGreaterThan(0);
    for (const guest of list) {
      expect(guest).toHaveProperty('cpus');
      expect(guest).not.toHaveProperty('maxcpu');
    }
    const current = (await call(lab, 'GET', '/nodes/pve1/qemu/100/status/current', { auth })).body.data as Record<string, unknown>;
    expect(current).toHaveProperty('cpus');
    expect(current).not.toHaveProperty('maxcpu');
    expect(current).not.toHaveProperty('agent');
    const resources = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as Record<string, unknown>[];
    expect(resources[0]).toHaveProperty('maxcpu');
  });

  it('storage content gives a qcow2 image its virtual size', async () => {
    const created = await call(lab, 'POST', '/nodes/pve1/qemu', { auth, params: { vmid: 4242, name: 'sized', scsi0: 'local:1,format=qcow2' } });
    expect((await waitTask(lab, auth, String(created.body.data))).exitstatus).toBe('OK');
    const content = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { vmid: 4242 } })).body.data as { size: number }[];
    expect(content.map((v) => v.size)).toEqual([1024 ** 3]);
  });

  it('RRD data has PVE 9 row counts per timeframe; decade only for nodes', async () => {
    const rows = async (path: string, timeframe: string): Promise<number> =>
      ((await call(lab, 'GET', path, { auth, params: { timeframe } })).body.data as unknown[]).length;
    expect(await rows('/nodes/pve1/rrddata', 'day')).toBe(1440);
    expect(await rows('/nodes/pve1/rrddata', 'week')).toBe(336);
    expect(await rows('/nodes/pve1/rrddata', 'year')).toBe(1440);
    expect(await rows('/nodes/pve1/rrddata', 'decade')).toBe(570);
    expect(await rows('/nodes/pve1/rrddata', 'month')).toBe(1440);
    expect(await rows('/nodes/pve1/rrddata', 'hour')).toBe(60);
    const guestDecade = await call(lab, 'GET', '/nodes/pve1/qemu/100/rrddata', { auth, params: { timeframe: 'decade' } });
    expect(guestDecade.status).toBe(400);
  });
});
