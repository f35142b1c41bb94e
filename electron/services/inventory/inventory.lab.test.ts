import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { call, waitFor, waitTask } from '../../../lab/api/lab-harness';
import { useLab } from '../../../lab/api/use-lab';
import type { Services } from '../create-services';
import { startLabServices, type LabServices } from '../testing';

/**
 * The inventory against the lab, called through the real IPC router as the
 * renderer calls it, with profiles connected through the session registry.
 * One guest runs with the lab (100), one more is started by the tests (101).
 */
const { lab, auth } = useLab(['--onboot', '1']);

const seeded = [100, 101, 102, 110, 111, 112, 113, 114, 115, 116, 117, 118, 200, 201, 202, 203, 9000, 9001, 9002];

describe('inventory against the lab cluster', () => {
  let services: Services;
  let ipc: LabServices['ipc'];
  let connect: LabServices['connect'];
  let rootId: string;

  /** Every item of a cluster once its feed is live, read page by page as the renderer does. */
  async function items(profileId: string): Promise<InventoryItem[]> {
    await waitFor('a live feed', async () =>
      (await ipc('inventory.feeds', {})).find((feed) => feed.profileId === profileId && feed.count > 0) ? true : undefined,
    );
    const first = await ipc('inventory.items', { profileId, limit: 5 });
    const all = [...first.items];
    while (all.length < first.total) all.push(...(await ipc('inventory.items', { profileId, offset: all.length, limit: 5, revision: first.revision })).items);
    return all;
  }

  const guest = (list: InventoryItem[], vmid: number): InventoryItem | undefined => list.find((item) => item.id === `qemu/${vmid}`);

  async function apiGuest(vmid: number, node: string): Promise<{ status: string; uptime?: number }> {
    const answer = await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/status/current`, { auth: { token: auth.token } });
    return answer.body.data as { status: string; uptime?: number };
  }
  const apiStatus = async (vmid: number, node: string): Promise<string> => (await apiGuest(vmid, node)).status;
  const apiUptime = async (vmid: number, node: string): Promise<number | undefined> => (await apiGuest(vmid, node)).uptime;

  beforeAll(async () => {
    const started = await startLabServices(lab.ready, 'inventory', 10_000);
    ({ services, ipc, connect } = started);
    rootId = await connect('Lab as root', lab.ready.accounts.root);
  });

  afterAll(async () => {
    await services?.close();
  });

  it('lists every seeded guest with its state, the nodes and the storages', async () => {
    const list = await items(rootId);
    for (const vmid of seeded) expect(guest(list, vmid), `guest ${vmid}`).toBeDefined();
    expect(guest(list, 100)).toMatchObject({ status: 'running', name: 'debian-lab', node: 'pve1', pool: 'students' });
    expect(guest(list, 102)).toMatchObject({ status: 'stopped', pool: 'students' });
    expect(guest(list, 9000)).toMatchObject({ template: true });
    expect(guest(list, 113)?.hastate).toBeDefined();
    expect(
      list
        .filter((item) => item.type === 'node')
        .map((item) => item.node)
        .sort(),
    ).toEqual(['pve1', 'pve2', 'pve3']);
    expect(list.some((item) => item.id === 'storage/pve1/shared')).toBe(true);
    const [feed] = await ipc('inventory.feeds', {});
    expect(feed).toMatchObject({ profileId: rootId, state: 'live', userid: 'root@pam', quorate: true, skipped: 0 });
  });

  it('gives each seeded guest the OS type of its config within a few polls', async () => {
    const list = await waitFor('the OS types read', async () => {
      const current = await items(rootId);
      return seeded.every((vmid) => guest(current, vmid)?.ostype !== undefined) ? current : undefined;
    });
    expect(guest(list, 110)?.ostype).toBe('win2k22');
    expect(guest(list, 100)?.ostype).toBe('l26');
    for (const vmid of seeded) {
      const node = guest(list, vmid)?.node ?? '';
      const config = await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/config`, { auth: { token: auth.token } });
      expect(guest(list, vmid)?.ostype, `guest ${vmid}`).toBe((config.body.data as { ostype?: string }).ostype);
    }
  });

  it('shows a guest another client started as running by the next poll', async () => {
    const started = await call(lab, 'POST', '/nodes/pve2/qemu/101/status/start', { auth: { token: auth.token } });
    await waitTask(lab, { token: auth.token }, started.body.data as string);
    const at = Date.now();
    await waitFor('guest 101 running in the inventory', async () => (guest(await items(rootId), 101)?.status === 'running' ? true : undefined), 10_000, 200);
    expect(Date.now() - at).toBeLessThan(3000 + 2000);
    // One running guest at a time on the lab's two cores.
    await waitTask(
      lab,
      { token: auth.token },
      (await call(lab, 'POST', '/nodes/pve2/qemu/101/status/stop', { auth: { token: auth.token } })).body.data as string,
    );
  });

  it('reads the summaries of a guest, a node, the cluster and a pool', async () => {
    const summary = await ipc('inventory.guestSummary', { profileId: rootId, node: 'pve1', vmid: 100 });
    expect(summary).toMatchObject({ name: 'debian-lab', status: 'running', pool: 'students', template: false });
    expect(summary.disks.some((disk) => disk.media === 'disk' && disk.volume.startsWith('shared:') && (disk.size ?? 0) > 0)).toBe(true);
    expect(summary.nics[0]).toMatchObject({ key: 'net0', bridge: expect.any(String) as unknown, mac: expect.stringMatching(/^[0-9a-f:]{17}$/) as unknown });

    const node = await ipc('inventory.nodeSummary', { profileId: rootId, node: 'pve1' });
    expect(node).toMatchObject({ node: 'pve1', status: 'online' });
    expect(node.memory?.total).toBeGreaterThan(0);
    expect(node.storages.map((storage) => storage.storage)).toEqual(expect.arrayContaining(['local', 'shared']));
    expect(node.storages.find((storage) => storage.storage === 'shared')).toMatchObject({
      shared: true,
      content: expect.arrayContaining(['images']) as unknown,
    });

    const cluster = await ipc('inventory.clusterSummary', { profileId: rootId });
    expect(cluster).toMatchObject({ clusterName: 'lab1', quorate: true });
    expect(cluster.nodes.map((entry) => `${entry.name}:${String(entry.online)}`).sort()).toEqual(['pve1:true', 'pve2:true', 'pve3:true']);

    expect(await ipc('inventory.poolSummary', { profileId: rootId, pool: 'services' })).toEqual({
      profileId: rootId,
      pool: 'services',
      audited: true,
      comment: 'Institute services',
    });
  });

  it('shuts a running guest down through inventory.power: its job succeeds and the API says stopped', async () => {
    // The guest's acpid must be up to hear the power button: a Linux guest of the lab is, well within 30 s of uptime.
    await waitFor('guest 100 booted', async () => (((await apiUptime(100, 'pve1')) ?? 0) >= 30 ? true : undefined), 60_000, 1000);
    const [job] = await ipc('inventory.power', { action: 'shutdown', targets: [{ profileId: rootId, node: 'pve1', vmid: 100 }], timeout: 60 });
    expect(job).toMatchObject({
      origin: 'app',
      title: { key: 'inventory.jobs.shutdown', params: { guest: 'debian-lab' } },
      subject: { profileId: rootId, vmid: 100 },
    });
    const ended = await waitFor(
      'the shutdown job to end',
      async () => (await ipc('jobs.list', {})).find((view) => view.id === job?.id && view.state !== 'running'),
      90_000,
      500,
    );
    expect(ended.error).toBeUndefined();
    expect(ended.state).toBe('succeeded');
    expect(await apiStatus(100, 'pve1')).toBe('stopped');
  });

  it('skips malformed items of a hostile server, counting them, and cleans and caps what it shows', async () => {
    const hostileName = `<img src=x onerror=alert(1)>\u202Egpj.exe${'x'.repeat(1000)}`;
    const resources = JSON.stringify([
      { id: 'qemu/990', type: 'qemu', vmid: 'not-a-number' },
      { type: 'qemu', vmid: 991 },
      'junk',
      { id: 'qemu/992', type: 'qemu', vmid: 992, node: 'pve1', status: 'stopped', name: hostileName, tags: 'ok;\u2066evil\u2069' },
    ]);
    const set = await call(lab, 'POST', '/lab/hostile', { auth: { token: auth.token }, params: { resources, vmid: 102, name: 'student\u202E-win11' } });
    expect(set.status, set.text).toBe(200);
    const feed = await waitFor('the hostile items counted', async () =>
      (await ipc('inventory.feeds', {})).find((entry) => entry.profileId === rootId && entry.skipped === 3),
    );
    expect(feed.state).toBe('live');
    const list = await items(rootId);
    for (const vmid of seeded) expect(guest(list, vmid), `guest ${vmid}`).toBeDefined();
    const shown = guest(list, 992);
    expect(shown?.name).toHaveLength(256);
    expect(shown?.name?.startsWith('<img src=x onerror=alert(1)>gpj.exe')).toBe(true);
    expect(shown?.tags).toEqual(['ok', 'evil']);
    expect(guest(list, 102)?.name).toBe('student-win11');
    await call(lab, 'POST', '/lab/hostile', { auth: { token: auth.token }, params: { clear: 1 } });
    await waitFor('the hostile items gone', async () =>
      (await ipc('inventory.feeds', {})).find((entry) => entry.profileId === rootId)?.skipped === 0 ? true : undefined,
    );
  });

  it('shows a PVEVMUser only the guests of its pool, and refuses it the cluster summary', async () => {
    const { user } = lab.ready.accounts;
    const studentId = await connect('Lab as student', user);
    const guests = (await items(studentId)).filter((item) => item.type === 'qemu');
    expect(guests.map((item) => item.vmid).sort()).toEqual([...user.vmids].sort());
    const feed = (await ipc('inventory.feeds', {})).find((entry) => entry.profileId === studentId);
    expect(feed?.quorate).toBeUndefined();
    expect(feed?.state).toBe('live');
    await expect(ipc('inventory.clusterSummary', { profileId: studentId })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    // PVEVMUser has no Pool.Audit: PVE leaves the pool out of /pools rather than refusing.
    expect(await ipc('inventory.poolSummary', { profileId: studentId, pool: 'students' })).toEqual({ profileId: studentId, pool: 'students', audited: false });
    // Without Pool.Audit PVE leaves the pool out of the resources, so the summary has none either.
    const own = await ipc('inventory.guestSummary', { profileId: studentId, node: 'pve1', vmid: 100 });
    expect(own.name).toBe('debian-lab');
    expect(own.pool).toBeUndefined();
    await expect(ipc('inventory.guestSummary', { profileId: studentId, node: 'pve1', vmid: 110 })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });

    await ipc('connections.disconnect', { id: studentId });
    expect((await ipc('inventory.feeds', {})).map((entry) => entry.profileId)).toEqual([rootId]);
  });
});
