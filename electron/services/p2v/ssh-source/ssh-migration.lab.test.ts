import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { P2vJobView, P2vPlan, P2vSource } from '../../../../shared/domain/p2v';
import { call, waitFor, waitTask } from '../../../../lab/api/lab-harness';
import { useLab } from '../../../../lab/api/use-lab';
import { startP2vSourceServer, type P2vSourceServer } from '../../../../lab/p2v-source/p2v-source-server';
import type { SshSession } from '../../ssh';
import { startLabServices, type LabServices } from '../../testing';
import { clusterLeftovers, connectP2vProfile, expectIdentical, nodeOutput, nodeStorageEntries } from '../testing';

/**
 * Whole migrations of the lab's "physical server" (a real sshd whose /dev/sda is a file) through the service, as
 * the wizard runs them over IPC: the probe, the inspection, a migration straight from the server to the node into
 * a VM that starts with its disk identical to the server's, the temporary key and the password gone afterwards;
 * and a cancelled migration whose rollback takes the temporary key back off the server.
 */
const { lab, auth } = useLab(['--nodes', '1', '--onboot', '0']);
const node = 'pve1';

describe('P2V of a running Linux server reached by SSH', () => {
  let dir: string;
  let server: P2vSourceServer;
  let app: LabServices;
  let profileId: string;
  let ssh: SshSession;

  async function api<T>(method: string, path: string, params?: Record<string, string | number>): Promise<T> {
    const answer = await call(lab, method, path, { auth: { token: auth.token }, ...(params ? { params } : {}) });
    if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.statusMessage}`);
    return answer.body.data as T;
  }

  /** Probes the server as the wizard does (the host key is accepted as a user would) and plans a migration of its disk. */
  async function plan(route: 'auto' | 'workstation'): Promise<P2vPlan> {
    const address = { host: server.host, port: server.port, username: 'root' };
    const { credentialId, facts } = await app.ipc('p2v.probeSsh', { address, auth: { method: 'password', password: server.password } });
    expect(facts.disks.map((disk) => disk.device)).toEqual(['/dev/sda']);
    const source: P2vSource = { kind: 'ssh', address, credentialId, device: '/dev/sda', route };
    const inspection = await app.ipc('p2v.inspect', { source, profileId, node });
    expect(inspection).toMatchObject({ format: 'raw', virtualSize: server.disk.size, partitionTable: 'gpt' });
    const vmid = Number(await api<string>('GET', '/cluster/nextid'));
    return {
      source,
      target: {
        profileId,
        node,
        storage: 'local',
        format: 'qcow2',
        vmid,
        name: `srv-legacy01-${vmid}`,
        ostype: 'l26',
        firmware: inspection.firmwareProposal,
        diskBus: 'scsi',
        cores: 1,
        sockets: 1,
        memoryMiB: 256,
        nic: { model: 'virtio', bridge: 'vmbr0', macAddress: facts.nics[0]?.mac ?? '18:66:da:5e:2c:10' },
        agent: false,
      },
      start: true,
    };
  }

  async function ended(id: string): Promise<P2vJobView> {
    return waitFor(`P2V job ${id} to end`, async () => (await app.ipc('p2v.list', {})).find((job) => job.id === id && job.state !== 'running'), 300_000, 500);
  }

  async function stop(vmid: number): Promise<void> {
    const status = await api<{ status: string }>('GET', `/nodes/${node}/qemu/${vmid}/status/current`);
    if (status.status === 'running') await waitTask(lab, { token: auth.token }, await api<string>('POST', `/nodes/${node}/qemu/${vmid}/status/stop`));
  }

  async function remove(vmid: number): Promise<void> {
    await waitTask(lab, { token: auth.token }, await api<string>('DELETE', `/nodes/${node}/qemu/${vmid}`, { purge: 1, 'destroy-unreferenced-disks': 1 }));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2v-ssh-migration-'));
    server = await startP2vSourceServer({ dir: join(dir, 'source') });
    app = await startLabServices(lab.ready, 'p2v-ssh');
    profileId = await connectP2vProfile(app, lab.ready, {});
    ssh = await app.services.sessions.ssh(profileId, node);
  });

  afterAll(async () => {
    await app?.services.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the server into a VM that starts, its disk identical to the server’s, verified on both sides; nothing of the capture left', async () => {
    const storageBefore = await nodeStorageEntries(ssh);
    const migration = await plan('auto');
    const started = await app.ipc('p2v.start', migration);
    const job = await ended(started.id);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.created.some((artifact) => artifact.kind === 'ssh-key')).toBe(true);
    expect(job.report?.verification).toMatchObject({ method: 'sha256-blocks' });
    const vmid = migration.target.vmid;
    const config = await api<Record<string, string>>('GET', `/nodes/${node}/qemu/${vmid}/config`);
    expect(config.tags?.split(/[;, ]/)).toContain('p2v');
    expect((await api<{ status: string }>('GET', `/nodes/${node}/qemu/${vmid}/status/current`)).status).toBe('running');
    // Compared with the VM stopped (QEMU holds the image's lock), before the VM and its volume are removed.
    await stop(vmid);
    const volume = /^local:(\d+\/[^,]+)/.exec(config.scsi0 ?? '')?.[1] ?? '';
    const storageDir = await nodeOutput(ssh, 'printf %s "$LAB_STORAGE_LOCAL"');
    await expectIdentical({ path: server.disk.path, format: 'raw' }, { path: join(storageDir, 'images', volume), format: 'qcow2' });
    await remove(vmid);
    // The temporary key is off the server, the work dir off the node, and the password out of the keychain.
    expect(readFileSync(server.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
    expect(await nodeStorageEntries(ssh)).toEqual(storageBefore);
    expect(await clusterLeftovers(lab, { token: auth.token }, vmid)).toEqual([]);
    await expect(app.ipc('p2v.inspect', { source: migration.source, profileId, node })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes the temporary key back off the server when the migration is cancelled during the capture', async () => {
    const storageBefore = await nodeStorageEntries(ssh);
    const migration = await plan('auto');
    let cancelled: Promise<P2vJobView> | undefined;
    // Cancelled as soon as the job says it made a key: whatever it did on the server after that, the rollback undoes.
    const detach = app.services.events.attach((event, payload) => {
      const view = payload as P2vJobView;
      if (event === 'p2v.changed' && cancelled === undefined && view.created.some((artifact) => artifact.kind === 'ssh-key'))
        cancelled = app.ipc('p2v.cancel', { id: view.id });
    });
    try {
      const started = await app.ipc('p2v.start', migration);
      const job = await ended(started.id);
      expect(cancelled).toBeDefined();
      expect(job.state).toBe('cancelled');
      expect(job.cleaned.filter((artifact) => artifact.kind === 'ssh-key')).toHaveLength(1);
    } finally {
      detach();
    }
    expect(readFileSync(server.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
    expect(await nodeStorageEntries(ssh)).toEqual(storageBefore);
    expect(await clusterLeftovers(lab, { token: auth.token }, migration.target.vmid)).toEqual([]);
  });
});
