import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { cpus, machine, release, totalmem, version as osVersion } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeStatusData } from '../../shared/pve/node';
import { call, login, waitFor, waitTask } from './lab-harness';
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

/** The keys of an item, sorted: PVE's answers are compared by the fields they carry. */
const keysOf = (item: unknown): string[] => Object.keys(item as object).sort();

type Item = Record<string, unknown>;

describe('lab inventory', () => {
  it('serves /cluster/resources with its 10 000 synthetic guests', async () => {
    // Its speed is measured by `npm run bench` (the inventory case), not by a timer here: the machine is shared.
    const res = await call(lab, 'GET', '/cluster/resources', { auth });
    const guests = (res.body.data as Item[]).filter((i) => i.type === 'qemu' || i.type === 'lxc');
    expect(guests.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(guests.map((g) => g.id)).size).toBe(guests.length);
  });

  it("lists pools, guests (vmids in Perl's string order), nodes, storages and network zones as PVE 9.2's Cluster.pm", async () => {
    const items = (await call(lab, 'GET', '/cluster/resources', { auth })).body.data as Item[];
    const types = items.map((i) => i.type);
    // Each type comes as one block, in Cluster.pm's order.
    expect(types.filter((t, i) => t !== types[i - 1])).toEqual(['pool', 'qemu', 'node', 'storage', 'network']);
    expect(items.slice(0, 4)).toEqual(['preprod', 'pxe', 'services', 'students'].map((pool) => ({ id: `/pool/${pool}`, pool, type: 'pool' })));
    const vmids = items.filter((i) => i.type === 'qemu').map((i) => String(i.vmid));
    expect(vmids.length).toBe(10_000 + 19);
    expect(vmids).toEqual([...vmids].sort());
    expect(vmids.slice(0, 4)).toEqual(['100', '1000', '10000', '10001']);

    const dc = items.find((i) => i.id === 'qemu/110');
    expect(keysOf(dc)).toEqual(
      [
        ...'cpu diskread diskwrite disk id maxcpu maxdisk maxmem memhost mem name netin netout node pool status tags template type uptime vmid'.split(' '),
      ].sort(),
    );
    expect(dc).toMatchObject({ vmid: 110, name: 'dc01', node: 'pve1', status: 'stopped', template: 0, pool: 'services', tags: 'ad;production;windows' });
    expect(items.find((i) => i.id === 'qemu/113')?.hastate).toBe('stopped');
    expect(items.find((i) => i.id === 'qemu/9000')?.template).toBe(1);

    const node = items.find((i) => i.id === 'node/pve1');
    expect(keysOf(node)).toEqual([
      'cgroup-mode',
      'cpu',
      'disk',
      'hastate',
      'id',
      'level',
      'maxcpu',
      'maxdisk',
      'maxmem',
      'mem',
      'node',
      'status',
      'type',
      'uptime',
    ]);
    expect(node).toMatchObject({ status: 'online', level: '', 'cgroup-mode': 2, hastate: 'online' });

    expect(items.find((i) => i.id === 'storage/pve2/shared')).toMatchObject({
      storage: 'shared',
      node: 'pve2',
      type: 'storage',
      plugintype: 'dir',
      status: 'available',
      shared: 1,
      content: 'backup,images,import,iso',
    });
    expect(items.find((i) => i.id === 'storage/pve2/local')).toMatchObject({ shared: 0, status: 'available' });
    expect(items.filter((i) => i.type === 'network')).toEqual(
      ['pve1', 'pve2', 'pve3'].map((n) => ({
        id: `network/${n}/zone/localnetwork`,
        type: 'network',
        'network-type': 'zone',
        network: 'localnetwork',
        node: n,
        status: 'ok',
      })),
    );

    const byType = async (type: string): Promise<Item[]> => (await call(lab, 'GET', '/cluster/resources', { auth, params: { type } })).body.data as Item[];
    expect((await byType('node')).map((i) => i.id)).toEqual(['node/pve1', 'node/pve2', 'node/pve3']);
    expect((await byType('storage')).every((i) => i.type === 'storage')).toBe(true);
    // PVE 9.2's nodes send their zones in the `network` format: the old `sdn` filter finds none, and no filter gives pools alone.
    expect(await byType('sdn')).toEqual([]);
    const pools = await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'pool' } });
    expect(pools.status).toBe(400);
    expect(pools.body.errors?.type).toMatch(/value 'pool' does not have a value in the enumeration/);
  });

  it('filters each item by its audit privilege: a PVEVMUser sees its guests and bare nodes', async () => {
    const { user } = lab.ready.accounts;
    const items = (await call(lab, 'GET', '/cluster/resources', { auth: await login(lab, user.userid, user.password) })).body.data as Item[];
    // No Pool.Audit: no pool items and no pool name on the guests; no Datastore.Audit or SDN.Audit: no storages or zones.
    expect(items.filter((i) => i.type === 'qemu').map((i) => i.vmid)).toEqual([100, 101, 102]);
    expect(items.some((i) => 'pool' in i)).toBe(false);
    // Without Sys.Audit every node is still listed, without its figures.
    expect(items.filter((i) => i.type === 'node')).toEqual(
      ['pve1', 'pve2', 'pve3'].map((n) => ({ id: `node/${n}`, node: n, type: 'node', status: 'online', level: '', 'cgroup-mode': 2, hastate: 'online' })),
    );
    expect(items.length).toBe(6);
  });

  it("shows an offline node's guests as unknown without name or figures, the node offline and its storages unknown", async () => {
    expect((await call(lab, 'POST', '/lab/faults', { auth, params: { node: 'pve3', offline: 1 } })).status).toBe(200);
    try {
      const items = (await call(lab, 'GET', '/cluster/resources', { auth })).body.data as Item[];
      expect(items.find((i) => i.id === 'qemu/102')).toEqual({
        id: 'qemu/102',
        vmid: 102,
        node: 'pve3',
        type: 'qemu',
        status: 'unknown',
        tags: 'windows;student',
        pool: 'students',
      });
      expect(items.find((i) => i.id === 'node/pve3')).toEqual({
        id: 'node/pve3',
        node: 'pve3',
        type: 'node',
        status: 'offline',
        'cgroup-mode': 2,
        hastate: 'unknown',
      });
      expect(items.find((i) => i.id === 'storage/pve3/local')).toMatchObject({ status: 'unknown' });
      expect(items.find((i) => i.id === 'storage/pve3/local')).not.toHaveProperty('disk');
      expect(items.find((i) => i.id === 'qemu/101')).toMatchObject({ status: 'stopped', name: 'spice-desktop' });
    } finally {
      await call(lab, 'POST', '/lab/faults', { auth, params: { node: 'pve3', offline: 0 } });
    }
  });

  it("answers a node's status from the host as Nodes.pm, to Sys.Audit on the node only", async () => {
    const raw = (await call(lab, 'GET', '/nodes/pve1/status', { auth })).body.data as Item;
    const status = nodeStatusData.parse(raw);
    expect(raw.loadavg).toEqual([expect.stringMatching(/^\d+\.\d+$/), expect.stringMatching(/^\d+\.\d+$/), expect.stringMatching(/^\d+\.\d+$/)]);
    expect(raw.cpuinfo).toMatchObject({ cpus: cpus().length, user_hz: 100, model: expect.any(String) as string, sockets: expect.any(Number) as number });
    expect(keysOf(raw.cpuinfo)).toEqual(['cores', 'cpus', 'family', 'flags', 'hvm', 'mhz', 'model', 'sockets', 'user_hz', 'vendor']);
    const memory = raw.memory as { used: number; free: number; total: number; available: number };
    expect(memory.total).toBe(totalmem());
    expect(memory.used + memory.available).toBe(memory.total);
    expect(memory.free).toBeLessThanOrEqual(memory.available);
    expect(keysOf(raw.swap)).toEqual(['free', 'total', 'used']);
    expect(status.ksm?.shared).toBeGreaterThanOrEqual(0);
    const version = (await call(lab, 'GET', '/version', { auth })).body.data as { version: string; repoid: string };
    expect(status.pveversion).toBe(`pve-manager/${version.version}/${version.repoid}`);
    expect(status.kversion).toBe(`Linux ${release()} ${osVersion()}`);
    expect(raw['current-kernel']).toEqual({ sysname: 'Linux', release: release(), version: osVersion(), machine: machine() });
    expect(raw['boot-info']).toMatchObject({ mode: expect.stringMatching(/^(efi|legacy-bios)$/) as string });
    expect(raw).toMatchObject({ idle: 0, uptime: expect.any(Number) as number, wait: expect.any(Number) as number, cpu: expect.any(Number) as number });
    expect(raw.rootfs).toMatchObject({ total: 100 * 1024 ** 3 });

    const { user } = lab.ready.accounts;
    const refused = await call(lab, 'GET', '/nodes/pve1/status', { auth: await login(lab, user.userid, user.password) });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Permission check failed (/nodes/pve1, Sys.Audit)\n');
  });

  it('gives the next free id, node list, guest list, pools and storage config', async () => {
    const next = Number((await call(lab, 'GET', '/cluster/nextid', { auth })).body.data);
    const ids = new Set(((await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number }[]).map((v) => v.vmid));
    expect(ids.has(next)).toBe(false);
    for (let id = 100; id < next; id++) expect(ids.has(id)).toBe(true);
    const taken = await call(lab, 'GET', '/cluster/nextid', { auth, params: { vmid: 100 } });
    expect(taken.status).toBe(400);
    const nodes = (await call(lab, 'GET', '/nodes', { auth })).body.data as { node: string; status: string }[];
    expect(nodes.map((n) => n.node)).toEqual(['pve1', 'pve2', 'pve3']);
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
  it('formats UPIDs as PVE, lists tasks, pages logs, and reports warnings as exit status', async () => {
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

    // Freeing a volume that is not there is a task whose warning is its exit status (Plugin.pm free_image warns).
    const missing = await call(lab, 'DELETE', '/nodes/pve1/storage/local/content/local:iso%2Fnothing.iso', { auth });
    expect(missing.status).toBe(200);
    const warned = await waitTask(lab, auth, missing.body.data as string);
    expect(warned.exitstatus).toBe('WARNINGS: 1');
    expect(warned.log.at(-1)).toBe('TASK WARNINGS: 1');
  });
});

describe('lab hostile switch', () => {
  const hostile = (params: Record<string, string | number>, credentials: { token?: string; ticket?: string; csrf?: string } = auth) =>
    call(lab, 'POST', '/lab/hostile', { auth: credentials, params, json: true });
  const xss = '<img src=x onerror=alert(1)>';

  it('serves raw names, notes, tags, pool comments and resource items on every endpoint that shows them, until cleared', async () => {
    const note = `${'A'.repeat(99_990)}<script>`;
    expect((await hostile({ vmid: 110, name: xss, description: note, tags: '<b>;javascript:alert(1)' })).body.data).toEqual({
      guests: [110],
      pools: [],
      resources: 0,
    });
    expect((await hostile({ poolid: 'services', comment: '\u202e<svg onload=alert(1)>' })).status).toBe(200);
    const rawItems = [{ id: `node/${xss}`, type: 'node', node: xss, status: 'online' }, { id: 42 }, { type: 'qemu', vmid: 'abc', maxmem: 'lots', name: null }];
    const set = await hostile({ resources: JSON.stringify(rawItems) });
    expect(set.body.data).toEqual({ guests: [110], pools: ['services'], resources: 3 });

    for (const type of [undefined, 'vm', 'node']) {
      const items = (await call(lab, 'GET', '/cluster/resources', { auth, params: type ? { type } : {} })).body.data as Item[];
      expect(items.slice(-3)).toEqual(rawItems);
    }
    const resources = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as Item[];
    expect(resources.find((i) => i.vmid === 110)).toMatchObject({ name: xss, tags: '<b>;javascript:alert(1)' });
    const config = (await call(lab, 'GET', '/nodes/pve1/qemu/110/config', { auth })).body.data as Item;
    expect(config).toMatchObject({ name: xss, description: note, tags: '<b>;javascript:alert(1)' });
    expect((await call(lab, 'GET', '/nodes/pve1/qemu/110/status/current', { auth })).body.data).toMatchObject({ name: xss, tags: '<b>;javascript:alert(1)' });
    const pools = (await call(lab, 'GET', '/pools', { auth })).body.data as { poolid: string; comment: string }[];
    expect(pools.find((p) => p.poolid === 'services')?.comment).toBe('\u202e<svg onload=alert(1)>');
    const services = (await call(lab, 'GET', '/pools/services', { auth })).body.data as { comment: string; members: Item[] };
    expect(services.comment).toBe('\u202e<svg onload=alert(1)>');
    expect(services.members.find((m) => m.vmid === 110)?.name).toBe(xss);

    // What the lab saves stays PVE's: a later save of the inventory keeps the values the switch replaced.
    await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { description: 'saved while hostile' } });
    const saved = await waitFor('the inventory saved', () => {
      const text = readFileSync(join(lab.ready.stateDir, 'lab1', 'inventory.json'), 'utf8');
      return text.includes('saved while hostile') ? text : undefined;
    });
    expect(saved).not.toContain('onerror');
    expect(saved).toContain('"name":"dc01"');

    expect((await hostile({ clear: 1 })).body.data).toEqual({ guests: [], pools: [], resources: 0 });
    const after = (await call(lab, 'GET', '/nodes/pve1/qemu/110/config', { auth })).body.data as Item;
    expect(after).toMatchObject({ name: 'dc01', tags: 'ad;production;windows', description: 'Active Directory domain controller (INSTITUTE.LOCAL).' });
    expect(((await call(lab, 'GET', '/pools/services', { auth })).body.data as { comment: string }).comment).toBe('Institute services');
    const cleared = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'node' } })).body.data as Item[];
    expect(cleared.map((i) => i.id)).toEqual(['node/pve1', 'node/pve2', 'node/pve3']);
  });

  it('refuses anyone but root@pam, unknown guests or pools, and resources that are not a JSON array of at most 2 MB', async () => {
    const { admin } = lab.ready.accounts;
    const refused = await hostile({ vmid: 110, name: 'x' }, await login(lab, admin.userid, admin.password));
    expect(refused.status).toBe(403);
    expect((await hostile({ vmid: 99_999, name: 'x' })).body.errors).toEqual({ vmid: "no such guest '99999'" });
    expect((await hostile({ poolid: 'nowhere', comment: 'x' })).body.errors).toEqual({ poolid: "no such pool 'nowhere'" });
    expect((await hostile({ resources: '{"id":1}' })).body.errors).toEqual({ resources: 'expected a JSON array' });
    expect((await hostile({ resources: '[' })).body.errors).toEqual({ resources: 'invalid JSON' });
    expect((await hostile({ resources: JSON.stringify(['x'.repeat(2 * 1024 * 1024)]) })).status).toBe(400);
    expect((await call(lab, 'GET', '/lab/hostile', { auth })).body.data).toEqual({ guests: [], pools: [], resources: 0 });
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
