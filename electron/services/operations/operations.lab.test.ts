import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../shared/domain/jobs';
import { call } from '../../../lab/api/lab-harness';
import { useLab } from '../../../lab/api/use-lab';
import type { Services } from '../create-services';
import { startLabServices, type LabServices } from '../testing';

/**
 * Operations against the lab through the real IPC router, on one VM this
 * file creates and never starts: create, config with a stale digest,
 * snapshot, backup, a backup job run now, offline migration, evacuation
 * plan, HA, delete; and a node's RRD.
 */
const { lab, auth } = useLab([]);

describe('operations against the lab cluster', () => {
  let services: Services;
  let ipc: LabServices['ipc'];
  let profileId: string;
  let vmid: number;

  /** The job once it has ended, failing with its error when it did not succeed. */
  async function succeeded(job: JobView): Promise<JobView> {
    const ended = await services.jobs.whenEnded(job.id);
    expect(ended?.error, `job ${job.title.key}`).toBeUndefined();
    expect(ended?.state).toBe('succeeded');
    return ended as JobView;
  }

  async function apiConfig(node: string): Promise<Record<string, unknown>> {
    return (await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/config`, { auth: { token: auth.token } })).body.data as Record<string, unknown>;
  }

  beforeAll(async () => {
    const started = await startLabServices(lab.ready, 'operations');
    ({ services, ipc } = started);
    profileId = await started.connect('Lab as root', lab.ready.accounts.root);
  });

  afterAll(async () => {
    await services?.close();
  });

  it('creates a VM from the Standard preset with the next free VMID', async () => {
    vmid = await ipc('operations.nextVmid', { profileId });
    const job = await ipc('operations.create', {
      profileId,
      node: 'pve1',
      vmid,
      name: 'ops-itest',
      ostype: 'l26',
      sockets: 1,
      cores: 4,
      memory: 4096,
      disk: { bus: 'scsi', storage: 'local', sizeGiB: 40, format: 'qcow2' },
      nic: { model: 'virtio', bridge: 'vmbr0' },
      agent: true,
      start: false,
    });
    expect(job.title).toEqual({ key: 'operations.jobs.create', params: { guest: 'ops-itest', vmid, node: 'pve1' } });
    await succeeded(job);
    const config = await apiConfig('pve1');
    expect({ ...config, cores: Number(config.cores), memory: Number(config.memory) }).toMatchObject({
      name: 'ops-itest',
      cores: 4,
      memory: 4096,
      scsihw: 'virtio-scsi-single',
      boot: 'order=scsi0;ide2;net0',
      ostype: 'l26',
    });
    expect(String(config.scsi0)).toMatch(/^local:\d+\/vm-\d+-disk-0\.qcow2,.*size=40G/);
    expect(String(config.net0)).toContain('bridge=vmbr0');
  });

  it('reads the config with its digest, changes it, and refuses a change made with a stale digest', async () => {
    const before = await ipc('operations.config', { profileId, node: 'pve1', vmid });
    expect(before.running).toBe(false);
    expect(before.entries.find((entry) => entry.key === 'name')?.value).toBe('ops-itest');
    expect(before.entries.some((entry) => entry.key === 'digest')).toBe(false);
    await succeeded(
      await ipc('operations.updateConfig', {
        profileId,
        node: 'pve1',
        vmid,
        digest: before.digest,
        set: { cores: 2, description: 'first line\nsecond line' },
        delete: [],
        revert: [],
      }),
    );
    const stale = ipc('operations.updateConfig', { profileId, node: 'pve1', vmid, digest: before.digest, set: { cores: 8 }, delete: [], revert: [] });
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
    const config = await apiConfig('pve1');
    expect({ cores: Number(config.cores), description: config.description }).toEqual({ cores: 2, description: 'first line\nsecond line' });
    const after = await ipc('operations.config', { profileId, node: 'pve1', vmid });
    expect(after.digest).not.toBe(before.digest);
  });

  it('refuses to shrink a disk before asking PVE', async () => {
    await expect(ipc('operations.resizeDisk', { profileId, node: 'pve1', vmid, disk: 'scsi0', size: 8 * 1024 ** 3 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('takes a snapshot without RAM and lists it under the current state', async () => {
    await succeeded(await ipc('operations.createSnapshot', { profileId, node: 'pve1', vmid, name: 'before_change', description: 'baseline', vmstate: false }));
    const snapshots = await ipc('operations.snapshots', { profileId, node: 'pve1', vmid });
    expect(snapshots.find((snapshot) => snapshot.name === 'before_change')).toMatchObject({ description: 'baseline', vmstate: false });
    expect(snapshots.find((snapshot) => snapshot.name === 'current')).toMatchObject({ parent: 'before_change' });
    await succeeded(await ipc('operations.deleteSnapshot', { profileId, node: 'pve1', vmid, name: 'before_change' }));
    expect((await ipc('operations.snapshots', { profileId, node: 'pve1', vmid })).map((snapshot) => snapshot.name)).toEqual(['current']);
  });

  it('backs the stopped guest up to local, lists the backup, restores it to a new VMID and deletes it', async () => {
    const storages = await ipc('operations.storages', { profileId, node: 'pve1', content: 'backup' });
    expect(storages.map((storage) => storage.storage)).toContain('local');
    await succeeded(
      await ipc('operations.backupNow', { profileId, node: 'pve1', vmid, storage: 'local', mode: 'stop', compress: 'zstd', notes: '{{guestname}}' }),
    );
    const backups = await ipc('operations.backups', { profileId, node: 'pve1', vmid });
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ storage: 'local', content: 'backup', vmid });
    const copy = await ipc('operations.nextVmid', { profileId });
    const restore = await ipc('operations.restore', {
      profileId,
      node: 'pve1',
      archive: backups[0]?.volid ?? '',
      vmid: copy,
      storage: 'local',
      force: false,
      unique: true,
      start: false,
    });
    expect(restore.title).toMatchObject({ key: 'operations.jobs.restore', params: { vmid: copy } });
    await succeeded(restore);
    const restored = (await call(lab, 'GET', `/nodes/pve1/qemu/${copy}/config`, { auth: { token: auth.token } })).body.data as Record<string, unknown>;
    expect(restored).toMatchObject({ name: 'ops-itest', description: 'first line\nsecond line' });
    await succeeded(await ipc('operations.destroy', { profileId, node: 'pve1', vmid: copy, purge: true, destroyUnreferencedDisks: true }));
    await succeeded(await ipc('operations.deleteVolume', { profileId, node: 'pve1', volume: backups[0]?.volid ?? '' }));
    expect(await ipc('operations.backups', { profileId, node: 'pve1', vmid, storage: 'local' })).toEqual([]);
  });

  it('creates, changes, runs now and deletes a backup job', async () => {
    const id = `ops-${vmid}`;
    const draft = {
      id,
      enabled: true,
      schedule: 'sat 02:00',
      storage: 'local',
      mode: 'snapshot' as const,
      compress: 'zstd' as const,
      selection: { kind: 'guests' as const, vmids: [vmid] },
      retention: { keepLast: 2 },
    };
    expect(await ipc('operations.saveBackupJob', { profileId, job: draft, create: true })).toMatchObject({
      id,
      selection: { kind: 'guests', vmids: [vmid] },
      retention: { keepLast: 2 },
    });
    const changed = await ipc('operations.saveBackupJob', {
      profileId,
      job: { ...draft, enabled: false, comment: 'weekly', retention: undefined },
      create: false,
    });
    expect(changed).toMatchObject({ id, enabled: false, comment: 'weekly' });
    expect(changed.retention).toBeUndefined();
    expect((await ipc('operations.backupJobs', { profileId })).map((job) => job.id)).toContain(id);

    // Only pve1 holds the guest: the other nodes answer OK and start nothing.
    const runs = await ipc('operations.runBackupJob', { profileId, id });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ subject: { node: 'pve1' }, title: { key: 'operations.jobs.backupJobRun', params: { job: id, node: 'pve1' } } });
    await succeeded(runs[0] as JobView);
    const backups = await ipc('operations.backups', { profileId, node: 'pve1', vmid });
    expect(backups).toHaveLength(1);
    for (const backup of backups) await succeeded(await ipc('operations.deleteVolume', { profileId, node: 'pve1', volume: backup.volid }));

    await ipc('operations.deleteBackupJob', { profileId, id });
    expect((await ipc('operations.backupJobs', { profileId })).map((job) => job.id)).not.toContain(id);
  });

  it('migrates the stopped guest offline and reports the duration', async () => {
    const check = await ipc('operations.migrationCheck', { profileId, node: 'pve1', vmid });
    expect(check.running).toBe(false);
    expect(check.targets.map((target) => target.node).sort()).toEqual(['pve2', 'pve3']);
    expect(check.targets.find((target) => target.node === 'pve2')).toMatchObject({ online: true, allowed: true });
    expect(check.localDisks.some((disk) => disk.drive === 'scsi0' && !disk.cdrom)).toBe(true);
    const ended = await succeeded(await ipc('operations.migrate', { profileId, node: 'pve1', vmid, target: 'pve2', online: false, withLocalDisks: false }));
    expect(ended.outcome?.key).toBe('tasks.outcome.migrationOffline');
    expect(ended.outcome?.params?.duration).toBeGreaterThanOrEqual(0);
    expect((await apiConfig('pve2')).name).toBe('ops-itest');
  });

  it('plans the evacuation of the node the guest moved to', async () => {
    const plan = await ipc('operations.evacuationPlan', { profileId, node: 'pve2' });
    const move = plan.moves.find((candidate) => candidate.vmid === vmid);
    expect(move).toMatchObject({ name: 'ops-itest', running: false, memory: 4096 * 1024 ** 2 });
    expect(['pve1', 'pve3']).toContain(move?.target);
    expect(Object.keys(plan.freeAfter).sort()).toEqual(['pve1', 'pve3']);
  });

  it('adds the guest to HA, changes it with the digest, refuses a stale digest, and removes it', async () => {
    expect(await ipc('operations.haResource', { profileId, vmid })).toBeNull();
    const added = await ipc('operations.setHa', { profileId, vmid, state: 'stopped', maxRestart: 1, maxRelocate: 1, comment: 'itest', create: true });
    expect(added).toMatchObject({ sid: `vm:${vmid}`, state: 'stopped', comment: 'itest' });
    const changed = await ipc('operations.setHa', { profileId, vmid, state: 'stopped', maxRestart: 3, maxRelocate: 2, create: false, digest: added.digest });
    expect(changed).toMatchObject({ maxRestart: 3, maxRelocate: 2 });
    expect(changed.comment).toBeUndefined();
    const stale = ipc('operations.setHa', { profileId, vmid, state: 'stopped', maxRestart: 0, maxRelocate: 0, create: false, digest: added.digest });
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
    await ipc('operations.removeHa', { profileId, vmid });
    expect(await ipc('operations.haResource', { profileId, vmid })).toBeNull();
  });

  it("reads a node's RRD as columns on one time axis", async () => {
    const series = await ipc('operations.rrd', { profileId, node: 'pve1', timeframe: 'hour', cf: 'AVERAGE' });
    expect(series.time.length).toBeGreaterThan(0);
    expect([...series.time].sort((a, b) => a - b)).toEqual(series.time);
    expect(series.metrics.cpu).toHaveLength(series.time.length);
  });

  it('deletes the guest with purge', async () => {
    await succeeded(await ipc('operations.destroy', { profileId, node: 'pve2', vmid, purge: true, destroyUnreferencedDisks: true }));
    const answer = await call(lab, 'GET', `/nodes/pve2/qemu/${vmid}/config`, { auth: { token: auth.token } });
    expect(answer.status).toBeGreaterThanOrEqual(400);
  });
});
