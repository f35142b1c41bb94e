/**
 * Tasks, backup, HA, migration precondition and import as PVE 9 runs them
 * (pve-manager PVE/API2/Tasks.pm and VZDump.pm, qemu-server PVE/API2/Qemu.pm),
 * read through the client's own schemas where the client parses them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versionCall, migratePreconditionCall, nodeTasksCall, taskStatusCall, vzdumpCall } from '../../electron/services/pve';
import { call, waitFor, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

const taskPath = (upid: string): string => `/nodes/${upid.split(':')[1] ?? ''}/tasks/${encodeURIComponent(upid)}`;

async function guestStatus(node: string, vmid: number): Promise<string> {
  return ((await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/status/current`, { auth })).body.data as { status: string }).status;
}

describe('vzdump', () => {
  it('answers "OK" and starts no task when none of the listed guests is on the node', async () => {
    // Guest 101 lives on pve2.
    const res = await call(lab, 'POST', '/nodes/pve1/vzdump', { auth, params: { vmid: 101, storage: 'local' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toBe('OK');
    expect(vzdumpCall('pve1', { vmid: '101' }).data.parse(res.body.data)).toEqual({ started: false });
    const vzdumps = (await call(lab, 'GET', '/nodes/pve1/tasks', { auth, params: { typefilter: 'vzdump', source: 'all' } })).body.data as unknown[];
    expect(vzdumps).toEqual([]);
  });

  it('backs up an id no guest has in a task that fails visibly, skipping the other nodes’ guests', async () => {
    const res = await call(lab, 'POST', '/nodes/pve1/vzdump', { auth, params: { vmid: '101,99999', storage: 'local' } });
    expect(res.status).toBe(200);
    const answer = vzdumpCall('pve1', { vmid: '101,99999' }).data.parse(res.body.data);
    if (!answer.started) throw new Error('no task started');
    expect(answer.upid).toMatch(/:vzdump:99999:root@pam!lab:$/);
    const done = await waitTask(lab, auth, answer.upid);
    expect(done.exitstatus).toBe('job errors');
    expect(done.log).toContain('INFO: skip external VMs: 101');
    expect(done.log).toContain("ERROR: Backup of VM 99999 failed - unable to find VM '99999'");
  });
});

describe('tasks', () => {
  it('splits a token owner into user and tokenid, keeping the token in the UPID', async () => {
    // Moving a stopped template whose disks are on shared storage is a short real task.
    const upid = (await call(lab, 'POST', '/nodes/pve1/qemu/9000/migrate', { auth, params: { target: 'pve2' } })).body.data as string;
    expect(upid).toMatch(/:qmigrate:9000:root@pam!lab:$/);
    await waitTask(lab, auth, upid);
    const status = taskStatusCall('pve1', upid).data.parse((await call(lab, 'GET', `${taskPath(upid)}/status`, { auth })).body.data);
    expect(status).toMatchObject({ upid, user: 'root@pam', tokenid: 'lab', status: 'stopped' });
    const listed = nodeTasksCall('pve1').data.parse((await call(lab, 'GET', '/nodes/pve1/tasks', { auth, params: { vmid: 9000 } })).body.data);
    expect(listed).toEqual([expect.objectContaining({ upid, user: 'root@pam', tokenid: 'lab', status: 'OK' })]);
  });

  it('reads the whole log with limit=0 and says so when a node has no such task', async () => {
    const upid = (await call(lab, 'POST', '/nodes/pve2/qemu/9001/migrate', { auth, params: { target: 'pve3' } })).body.data as string;
    const done = await waitTask(lab, auth, upid);
    const all = await call(lab, 'GET', `${taskPath(upid)}/log`, { auth, params: { limit: 0 } });
    expect(all.body.data).toEqual(done.log.map((t, i) => ({ n: i + 1, t })));
    expect(all.body.total).toBe(done.log.length);
    const elsewhere = await call(lab, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { auth });
    expect(elsewhere.body).toMatchObject({ data: [{ n: 1, t: 'unable to open file - No such file or directory' }], total: 1 });
    const status = await call(lab, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`, { auth });
    expect(status.status).toBe(400);
    expect(status.body.errors).toEqual({ upid: 'no such task' });
  });
});

describe('an HA-managed guest (113 on pve1)', () => {
  it('queues start and stop in hastart/hastop tasks; the HA stack carries them out a moment later as root@pam', async () => {
    const start = (await call(lab, 'POST', '/nodes/pve1/qemu/113/status/start', { auth })).body.data as string;
    expect(start).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:hastart:113:root@pam!lab:$/);
    const queued = await waitTask(lab, auth, start, 5_000);
    expect(queued.exitstatus).toBe('OK');
    expect(queued.log).toEqual(['Requesting HA start for VM 113', 'TASK OK']);
    // The request is queued, not done: the guest is still stopped when the task ends.
    expect(await guestStatus('pve1', 113)).toBe('stopped');
    const resources = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; hastate?: string }[];
    expect(resources.find((r) => r.vmid === 113)?.hastate).toBe('started');
    await waitFor('guest 113 running', async () => ((await guestStatus('pve1', 113)) === 'running' ? true : undefined), 60_000);
    const qmstart = nodeTasksCall('pve1')
      .data.parse((await call(lab, 'GET', '/nodes/pve1/tasks', { auth, params: { vmid: 113, typefilter: 'qmstart', source: 'all' } })).body.data)
      .at(0);
    expect(qmstart).toMatchObject({ user: 'root@pam' });
    expect(qmstart?.tokenid).toBeUndefined();

    const stop = (await call(lab, 'POST', '/nodes/pve1/qemu/113/status/stop', { auth })).body.data as string;
    expect(stop).toMatch(/:hastop:113:root@pam!lab:$/);
    expect((await waitTask(lab, auth, stop, 5_000)).log[0]).toBe('Requesting HA stop for VM 113');
    await waitFor('guest 113 stopped', async () => ((await guestStatus('pve1', 113)) === 'stopped' ? true : undefined), 30_000);
  }, 90_000);

  it('queues a migration in a hamigrate task; the guest moves a moment later', async () => {
    const upid = (await call(lab, 'POST', '/nodes/pve1/qemu/113/migrate', { auth, params: { target: 'pve2' } })).body.data as string;
    expect(upid).toMatch(/:hamigrate:113:root@pam!lab:$/);
    expect((await waitTask(lab, auth, upid, 5_000)).log[0]).toBe('Requesting HA migration for VM 113 to node pve2');
    await waitFor(
      'guest 113 on pve2',
      async () => {
        const vms = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; node: string }[];
        return vms.find((v) => v.vmid === 113)?.node === 'pve2' ? true : undefined;
      },
      30_000,
    );
  }, 60_000);
});

describe('migration precondition', () => {
  it('lists a local ISO as a local cdrom disk, and the migration stops on it as PVE does', async () => {
    const isoDir = join(lab.ready.stateDir, 'lab1', 'nodes', 'pve1', 'local', 'template', 'iso');
    mkdirSync(isoDir, { recursive: true });
    writeFileSync(join(isoDir, 'tools.iso'), Buffer.alloc(64 * 1024));
    expect((await call(lab, 'PUT', '/nodes/pve1/qemu/110/config', { auth, params: { ide2: 'local:iso/tools.iso,media=cdrom' } })).status).toBe(200);
    const raw = (await call(lab, 'GET', '/nodes/pve1/qemu/110/migrate', { auth })).body.data as { local_disks: { volid: string; cdrom: number }[] };
    expect(raw.local_disks).toContainEqual(expect.objectContaining({ volid: 'local:iso/tools.iso', cdrom: 1, drivename: 'ide2', is_attached: 1 }));
    const precondition = migratePreconditionCall('pve1', 110).data.parse(raw);
    expect(precondition.localCdroms).toEqual(['local:iso/tools.iso']);
    expect(precondition.canMigrateConntrack).toBe(true);

    const upid = (await call(lab, 'POST', '/nodes/pve1/qemu/110/migrate', { auth, params: { target: 'pve3' } })).body.data as string;
    const failed = await waitTask(lab, auth, upid);
    // AbstractMigrate.pm: time-stamped lines, the error in an `ERROR: migration aborted (duration …)` line, exit status `migration aborted`.
    expect(failed.exitstatus).toBe('migration aborted');
    expect(failed.log).toContainEqual(
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} can't migrate local disk 'local:iso\/tools\.iso': local cdrom image$/),
    );
    expect(failed.log).toContainEqual(expect.stringMatching(/ ERROR: migration aborted \(duration \d{2}:\d{2}:\d{2}\): can't migrate VM - check log$/));
  });

  it('keeps an offline node allowed (PVE checks storages, not node status); the migration task fails to reach it', async () => {
    const rootAuth = { token: lab.ready.accounts.token.value };
    expect((await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { node: 'pve3', offline: 1 } })).status).toBe(200);
    try {
      const raw = (await call(lab, 'GET', '/nodes/pve1/qemu/100/migrate', { auth })).body.data as Record<string, unknown>;
      expect(raw).toMatchObject({
        running: 0,
        allowed_nodes: ['pve2', 'pve3'],
        not_allowed_nodes: { pve2: {}, pve3: {} },
        local_resources: [],
        'has-dbus-vmstate': 1,
      });
      expect(migratePreconditionCall('pve1', 100).data.parse(raw).refusedNodes).toEqual({});
      const upid = (await call(lab, 'POST', '/nodes/pve1/qemu/100/migrate', { auth, params: { target: 'pve3' } })).body.data as string;
      const failed = await waitTask(lab, auth, upid);
      expect(failed.exitstatus).toBe('migration aborted');
      expect(failed.log).toContainEqual(
        expect.stringMatching(/ ERROR: migration aborted \(duration 00:00:\d{2}\): Can't connect to destination address using public key$/),
      );
      expect(failed.log.at(-1)).toBe('TASK ERROR: migration aborted');
    } finally {
      await call(lab, 'POST', '/lab/faults', { auth: rootAuth, params: { clear: 1 } });
    }
  });
});

describe('import-from', () => {
  it("refuses a size other than 0 with qemu-server's message", async () => {
    const res = await call(lab, 'POST', '/nodes/pve1/qemu', {
      auth,
      params: { vmid: 700, name: 'sized-import', scsi0: 'local:4,import-from=local:import/disk.qcow2' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ scsi0: "'import-from' requires special syntax - use <storage ID>:0,import-from=<source>" });
  });
});

describe('version', () => {
  it('answers as PVE 9 by default', async () => {
    const version = versionCall().data.parse((await call(lab, 'GET', '/version', { auth })).body.data);
    expect(version).toEqual({ version: '9.2.11', release: '9.2', repoid: expect.stringMatching(/^[0-9a-f]{16}$/) as string });
  });
});
