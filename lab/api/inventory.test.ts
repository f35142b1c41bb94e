import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { call, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0', '--guests', '10000']);

/** Multipart upload streamed from memory chunks (the file is generated, never read whole by the lab). */
function upload(
  node: string,
  storage: string,
  fields: Record<string, string>,
  filename: string,
  content: Buffer,
): Promise<{ status: number; body: { data: unknown; message?: string } }> {
  const boundary = `----lab${randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return new Promise((resolve, reject) => {
    const req = request(
      `${lab.api}/api2/json/nodes/${node}/storage/${storage}/upload`,
      {
        method: 'POST',
        ca: lab.ca,
        headers: { Authorization: `PVEAPIToken=${auth.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as { data: unknown } }));
      },
    );
    req.on('error', reject);
    req.write(head + fileHead);
    // Small writes, so boundaries and data straddle chunk edges.
    for (let i = 0; i < content.length; i += 7919) req.write(content.subarray(i, i + 7919));
    req.end(tail);
  });
}

describe('lab inventory', () => {
  it('serves /cluster/resources with 10 000 synthetic guests quickly and with every item type', async () => {
    const started = performance.now();
    const res = await call(lab, 'GET', '/cluster/resources', { auth });
    const elapsed = performance.now() - started;
    const items = res.body.data as Record<string, unknown>[];
    const vms = items.filter((i) => i.type === 'qemu');
    expect(vms.length).toBeGreaterThanOrEqual(10_000 + 19);
    expect(elapsed).toBeLessThan(3000);
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(['qemu', 'node', 'storage', 'sdn', 'pool']));
    const dc = vms.find((v) => v.vmid === 110);
    expect(dc).toMatchObject({ id: 'qemu/110', name: 'dc01', status: 'stopped', pool: 'services', template: 0 });
    for (const key of ['cpu', 'maxcpu', 'mem', 'maxmem', 'disk', 'maxdisk', 'netin', 'netout', 'diskread', 'diskwrite', 'uptime', 'tags'])
      expect(dc).toHaveProperty(key);
    expect(vms.find((v) => v.vmid === 113)?.hastate).toBe('stopped');
    expect(vms.filter((v) => v.template === 1).length).toBeGreaterThanOrEqual(3);
    const nodes = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'node' } })).body.data as { type: string }[];
    expect(nodes.every((n) => n.type === 'node')).toBe(true);
    expect(items.find((i) => i.id === 'storage/pve1/shared')).toMatchObject({ shared: 1, plugintype: 'dir' });
  });

  it('gives the next free id, node list, node status, guest list, pools and storage config', async () => {
    const next = Number((await call(lab, 'GET', '/cluster/nextid', { auth })).body.data);
    const ids = new Set(((await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number }[]).map((v) => v.vmid));
    expect(ids.has(next)).toBe(false);
    for (let id = 100; id < next; id++) expect(ids.has(id)).toBe(true);
    const taken = await call(lab, 'GET', '/cluster/nextid', { auth, params: { vmid: 100 } });
    expect(taken.status).toBe(400);
    const nodes = (await call(lab, 'GET', '/nodes', { auth })).body.data as { node: string; status: string }[];
    expect(nodes.map((n) => n.node)).toEqual(['pve1', 'pve2', 'pve3']);
    const status = (await call(lab, 'GET', '/nodes/pve1/status', { auth })).body.data as Record<string, unknown>;
    expect(status).toHaveProperty('memory.total');
    expect(status).toHaveProperty('cpuinfo.cpus');
    const guests = (await call(lab, 'GET', '/nodes/pve2/qemu', { auth })).body.data as { vmid: number; status: string }[];
    expect(guests.some((g) => g.vmid === 101)).toBe(true);
    const pools = (await call(lab, 'GET', '/pools', { auth })).body.data as { poolid: string }[];
    expect(pools.map((p) => p.poolid).sort()).toEqual(['preprod', 'pxe', 'services', 'students']);
    const students = (await call(lab, 'GET', '/pools/students', { auth })).body.data as { members: { vmid: number }[] };
    expect(students.members.map((m) => m.vmid).sort()).toEqual([100, 101, 102]);
    const storages = (await call(lab, 'GET', '/storage', { auth })).body.data as { storage: string }[];
    expect(storages.map((s) => s.storage)).toEqual(['local', 'shared']);
    const version = (await call(lab, 'GET', '/version', { auth })).body.data as { version: string };
    expect(version.version).toMatch(/^9\./);
  });

  it('answers rrddata with PVE 9 row counts per timeframe, leaving missing metrics out', async () => {
    const counts = { hour: 60, day: 1440, week: 336, month: 1440, year: 1440 };
    for (const [timeframe, count] of Object.entries(counts)) {
      const rows = (await call(lab, 'GET', '/nodes/pve1/qemu/110/rrddata', { auth, params: { timeframe, cf: 'AVERAGE' } })).body.data as Record<
        string,
        number
      >[];
      // A stopped guest's newest step can be empty since the lab started; PVE drops such a trailing row.
      expect(rows.length).toBeGreaterThanOrEqual(count - 1);
      expect(rows.length).toBeLessThanOrEqual(count);
      expect(rows.every((r) => typeof r.time === 'number')).toBe(true);
    }
    const week = (await call(lab, 'GET', '/nodes/pve1/qemu/110/rrddata', { auth, params: { timeframe: 'week', cf: 'MAX' } })).body.data as Record<
      string,
      number
    >[];
    expect(week.filter((r) => r.cpu !== undefined).length).toBeGreaterThan(50);
    const synthetic = (await call(lab, 'GET', '/nodes/pve1/qemu/1000/rrddata', { auth, params: { timeframe: 'hour' } })).body.data as Record<string, unknown>[];
    expect(synthetic.every((r) => !('cpu' in r) && !('mem' in r))).toBe(true);
    const node = (await call(lab, 'GET', '/nodes/pve1/rrddata', { auth, params: { timeframe: 'decade' } })).body.data as Record<string, number>[];
    expect(node.length).toBe(570);
    expect(node.some((r) => r.memtotal !== undefined)).toBe(true);
  });
});

describe('lab storage', () => {
  it('lists storages and their status on a node', async () => {
    const list = (await call(lab, 'GET', '/nodes/pve1/storage', { auth })).body.data as { storage: string; total: number; content: string }[];
    expect(list.map((s) => s.storage)).toEqual(['local', 'shared']);
    expect(list[0]?.content).toBe('backup,images,import,iso');
    const status = (await call(lab, 'GET', '/nodes/pve1/storage/local/status', { auth })).body.data as { total: number; avail: number };
    expect(status.total).toBeGreaterThan(0);
  });

  it('streams a multipart upload, verifies its checksum in the task, and lists it', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 123);
    const checksum = createHash('sha256').update(content).digest('hex');
    const res = await upload('pve1', 'local', { content: 'iso', checksum, 'checksum-algorithm': 'sha256' }, 'tools.iso', content);
    expect(res.status).toBe(200);
    const result = await waitTask(lab, auth, res.body.data as string);
    expect(result.exitstatus).toBe('OK');
    const listing = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'iso' } })).body.data as {
      volid: string;
      size: number;
      format: string;
    }[];
    expect(listing.find((v) => v.volid === 'local:iso/tools.iso')).toMatchObject({ size: content.length, format: 'iso' });

    const bad = await upload('pve1', 'local', { content: 'import', checksum: '00'.repeat(32), 'checksum-algorithm': 'sha256' }, 'broken.qcow2', content);
    const failed = await waitTask(lab, auth, bad.body.data as string);
    expect(failed.exitstatus).toMatch(/checksum mismatch/);
    const imports = (await call(lab, 'GET', '/nodes/pve1/storage/local/content', { auth, params: { content: 'import' } })).body.data as { volid: string }[];
    expect(imports.some((v) => v.volid.includes('broken'))).toBe(false);

    const wrongExt = await upload('pve1', 'local', { content: 'import' }, 'evil.sh', Buffer.from('#!/bin/sh'));
    expect(wrongExt.status).toBe(400);
  });
});

describe('lab tasks', () => {
  it('formats UPIDs as PVE, lists tasks, pages logs, and reports errors as exit status', async () => {
    // A migration of a stopped guest whose disks are on shared storage is a short real task.
    const upid = (await call(lab, 'POST', '/nodes/pve1/qemu/9000/migrate', { auth, params: { target: 'pve2' } })).body.data as string;
    expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmigrate:9000:root@pam!lab:$/);
    const done = await waitTask(lab, auth, upid);
    expect(done.exitstatus).toBe('OK');
    expect(done.log.at(-1)).toBe('TASK OK');
    const page = await call(lab, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { auth, params: { start: 1, limit: 1 } });
    expect(page.body.total).toBe(done.log.length);
    expect(page.body.data).toEqual([{ n: 2, t: done.log[1] }]);
    const list = await call(lab, 'GET', '/nodes/pve1/tasks', { auth, params: { vmid: 9000 } });
    expect((list.body.data as { upid: string; status: string }[])[0]).toMatchObject({ upid, status: 'OK' });
    const moved = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; node: string }[];
    expect(moved.find((v) => v.vmid === 9000)?.node).toBe('pve2');

    const precheck = (await call(lab, 'GET', '/nodes/pve2/qemu/111/migrate', { auth })).body.data as Record<string, unknown>;
    expect(precheck).toMatchObject({ running: 0, allowed_nodes: ['pve1', 'pve3'] });
    expect((precheck.local_disks as { volid: string }[])[0]?.volid).toMatch(/^local:111\//);

    const failing = await call(lab, 'DELETE', '/nodes/pve1/storage/local/content/local:iso%2Fnothing.iso', { auth });
    expect(failing.status).toBe(500);
  });
});

describe('lab fault switch', () => {
  it('takes a node offline (595 through the cluster, refused on its own port) and back', async () => {
    const rootAuth = { token: lab.ready.accounts.token.value };
    const pve3 = lab.ready.clusters[0]?.nodes.find((n) => n.name === 'pve3');
    expect((await call(lab, 'GET', '/version', { auth: rootAuth, baseUrl: pve3?.api })).status).toBe(200);
    expect((await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { node: 'pve3', offline: 1 } })).status).toBe(200);
    const status = (await call(lab, 'GET', '/cluster/status', { auth: rootAuth })).body.data as { name: string; online?: number }[];
    expect(status.find((s) => s.name === 'pve3')?.online).toBe(0);
    expect((await call(lab, 'GET', '/nodes/pve3/qemu', { auth: rootAuth })).status).toBe(595);
    await expect(call(lab, 'GET', '/version', { auth: rootAuth, baseUrl: pve3?.api })).rejects.toThrow(/ECONNREFUSED/);
    await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { node: 'pve3', offline: 0 } });
    await new Promise((r) => setTimeout(r, 200));
    expect((await call(lab, 'GET', '/version', { auth: rootAuth, baseUrl: pve3?.api })).status).toBe(200);
  });

  it('delays and drops answers', async () => {
    const rootAuth = { token: lab.ready.accounts.token.value };
    await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { delay: 700, path: '^/version' } });
    const started = performance.now();
    await call(lab, 'GET', '/version', { auth: rootAuth });
    expect(performance.now() - started).toBeGreaterThanOrEqual(650);
    await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { delay: 0, drop: 1 } });
    await expect(call(lab, 'GET', '/version', { auth: rootAuth })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await call(lab, 'GET', '/version', { auth: rootAuth })).status).toBe(200);
    await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { clear: 1 } });
  });
});
