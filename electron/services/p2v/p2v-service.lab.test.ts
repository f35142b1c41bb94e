import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { P2vJobView } from '../../../shared/domain/p2v';
import { call, waitFor, waitTask } from '../../../lab/api/lab-harness';
import { useLab } from '../../../lab/api/use-lab';
import type { SshSession } from '../ssh';
import { startLabServices, type LabServices } from '../testing';
import { P2vService } from './p2v-service';
import { MiB, clusterLeftovers, connectP2vProfile, expectIdentical, makeImage, nodeOutput, scatteredExtents, writeTestDisk } from './testing';

/**
 * The service's own path for an image already on a node (`import` content): inspected where it is, imported from
 * there into a VM without any transfer, compared after the import; the job kept in the config folder, read by a
 * new service, reported and forgotten.
 */
const { lab, auth } = useLab(['--nodes', '1', '--onboot', '0']);
const node = 'pve1';

let app: LabServices;
let profileId: string;
let ssh: SshSession;
let dir: string;

beforeAll(async () => {
  app = await startLabServices(lab.ready, 'p2v-service');
  profileId = await connectP2vProfile(app, lab.ready, {});
  ssh = await app.services.sessions.ssh(profileId, node);
  dir = mkdtempSync(join(tmpdir(), 'p2v-service-'));
}, 180_000);

afterAll(async () => {
  await app?.services.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, params?: Record<string, string | number>): Promise<T> {
  const answer = await call(lab, method, path, { auth: { token: auth.token }, ...(params ? { params } : {}) });
  if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.statusMessage}`);
  return answer.body.data as T;
}

describe('P2V of an image on the node', () => {
  it('imports it into a VM without a transfer, compared after the import, and keeps the job for a new app', async () => {
    const size = 32 * MiB;
    const disk = await writeTestDisk(join(dir, 'disk.raw'), { size, partitionTable: 'gpt', extents: scatteredExtents(size) });
    const image = await makeImage('qcow2', disk, dir);
    // The lab's storages are folders on this machine: the image is put in `local`'s import folder.
    const storageDir = await nodeOutput(ssh, 'printf %s "$LAB_STORAGE_LOCAL"');
    mkdirSync(join(storageDir, 'import'), { recursive: true });
    copyFileSync(image.path, join(storageDir, 'import', 'legacy-server.qcow2'));

    const volumes = await app.ipc('p2v.importVolumes', { profileId, node });
    expect(volumes).toContainEqual(expect.objectContaining({ volid: 'local:import/legacy-server.qcow2', format: 'qcow2' }));
    const source = { kind: 'node-import' as const, profileId, node, volid: 'local:import/legacy-server.qcow2', format: 'qcow2' as const };
    const inspection = await app.ipc('p2v.inspect', { source, profileId, node });
    expect(inspection).toMatchObject({ format: 'qcow2', virtualSize: size, partitionTable: 'gpt', firmwareProposal: 'ovmf' });

    const vmid = Number(await api<string>('GET', '/cluster/nextid'));
    const started = await app.ipc('p2v.start', {
      source,
      target: {
        profileId,
        node,
        storage: 'local',
        format: 'qcow2',
        vmid,
        name: 'legacy-server',
        ostype: 'l26',
        firmware: 'ovmf',
        diskBus: 'virtio',
        cores: 1,
        sockets: 1,
        memoryMiB: 256,
        nic: { model: 'virtio', bridge: 'vmbr0' },
        agent: true,
      },
      start: false,
    });
    expect(started.jobId).toMatch(/^app:/);
    const job = await waitFor(
      'the migration to end',
      async () => (await app.ipc('p2v.list', {})).find((candidate): candidate is P2vJobView => candidate.id === started.id && candidate.state !== 'running'),
      300_000,
      500,
    );
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(Object.fromEntries(job.steps.map((step) => [step.id, step.state]))).toEqual({
      inspect: 'done',
      prepare: 'skipped',
      transfer: 'skipped',
      verify: 'skipped',
      'create-vm': 'done',
      'import-disk': 'done',
      configure: 'done',
      start: 'skipped',
    });
    expect(job.report?.verification).toEqual({ method: 'qemu-img-compare', identical: true });

    const config = await api<Record<string, string>>('GET', `/nodes/${node}/qemu/${vmid}/config`);
    expect(config).toMatchObject({ bios: 'ovmf', machine: 'q35', agent: '1', boot: 'order=virtio0' });
    expect(config.efidisk0).toMatch(/^local:/);
    const volid = (config.virtio0 ?? '').split(',')[0] ?? '';
    await expectIdentical(image, { path: join(storageDir, 'images', volid.replace(/^local:/, '')), format: 'qcow2' });

    // A new app on the same config folder lists the job with its report; forgetting it leaves the VM.
    const later = new P2vService({ ...app.services.p2v.options });
    const listed = (await later.list()).find((view) => view.id === job.id);
    expect(listed?.state).toBe('succeeded');
    expect(listed?.report).toMatchObject({ source: 'local:import/legacy-server.qcow2 on pve1', verification: { method: 'qemu-img-compare', identical: true } });
    expect(await later.forget(job.id)).toEqual({ forgotten: true });
    await later.close();
    expect((await app.services.p2v.list()).map((view) => view.id)).toContain(job.id);
    expect(await new P2vService({ ...app.services.p2v.options }).list()).toEqual([]);

    await waitTask(lab, { token: auth.token }, await api<string>('DELETE', `/nodes/${node}/qemu/${vmid}`, { purge: 1, 'destroy-unreferenced-disks': 1 }));
    expect(await clusterLeftovers(lab, { token: auth.token }, vmid)).toEqual([]);
  });
});
