import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiskBus } from '../../../shared/domain/operations';
import {
  p2vStepIds,
  type Firmware,
  type ImageFormat,
  type P2vArtifact,
  type P2vJobView,
  type P2vPlan,
  type P2vStepId,
  type TargetFormat,
} from '../../../shared/domain/p2v';
import { call, firstCluster, waitFor, waitTask } from '../../../lab/api/lab-harness';
import { useLab } from '../../../lab/api/use-lab';
import type { SshSession } from '../ssh';
import { startLabServices, type LabServices } from '../testing';
import { P2vService } from './p2v-service';
import {
  MiB,
  acceptHostKeys,
  clusterLeftovers,
  connectP2vProfile,
  connectSaved,
  craftedRawImage,
  expectIdentical,
  imageKinds,
  makeImage,
  nodeOutput,
  nodePathExists,
  nodeStorageEntries,
  scatteredExtents,
  spreadExtents,
  startMeteredProxy,
  startMigrationChild,
  writeTestDisk,
  type ImageFixture,
  type ImageKind,
  type MeteredProxy,
  type MigrationChildOrders,
  type TestDisk,
} from './testing';

/**
 * Whole migrations against the lab, as the wizard runs them through the IPC router: every image format into a VM
 * that starts with its disk identical to the image; a crafted raw image converted as raw; a failure injected before
 * each step, a cancel, and a crash half-way through the transfer, each leaving nothing behind (seen through the API
 * and over SSH on the node); the crashed job resumed in a new app, sending at most 10 % more than the allocated data
 * in total. The node's SSH goes through a metered proxy: what it counts is what crossed the wire.
 */
const { lab, auth } = useLab(['--nodes', '2', '--onboot', '0']);

const node = 'pve1';
const run = promisify(execFile);
const jobTimeoutMs = 240_000;
/** A whole migration on a loaded 2-core machine, and the checks around it. */
const testTimeoutMs = jobTimeoutMs + 120_000;

let app: LabServices;
let profileId: string;
let proxy: MeteredProxy;
let ssh: SshSession;
let dir: string;
/** Every artifact each job ever showed, so a test checks the ones a job removed itself too. */
const artifactsSeen = new Map<string, P2vArtifact[]>();

beforeAll(async () => {
  const pve1 = firstCluster(lab.ready).nodes.find((candidate) => candidate.name === node);
  if (pve1 === undefined) throw new Error('no pve1 in the lab');
  proxy = await startMeteredProxy({ host: pve1.ssh.host, port: pve1.ssh.port });
  app = await startLabServices(lab.ready, 'p2v');
  profileId = await connectP2vProfile(app, lab.ready, { [node]: { host: '127.0.0.1', port: proxy.port } });
  app.services.events.attach((event, payload) => {
    if (event === 'p2v.changed') remember(payload as P2vJobView);
  });
  ssh = await app.services.sessions.ssh(profileId, node);
  dir = mkdtempSync(join(tmpdir(), 'p2v-lab-'));
}, 180_000);

afterAll(async () => {
  await app?.services.close();
  await proxy?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function remember(job: P2vJobView): void {
  const seen = artifactsSeen.get(job.id) ?? [];
  for (const artifact of [...job.created, ...job.cleaned])
    if (!seen.some((known) => known.kind === artifact.kind && known.ref === artifact.ref && known.node === artifact.node)) seen.push(artifact);
  artifactsSeen.set(job.id, seen);
}

async function api<T>(method: string, path: string, params?: Record<string, string | number>): Promise<T> {
  const answer = await call(lab, method, path, { auth: { token: auth.token }, ...(params ? { params } : {}) });
  if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.statusMessage}`);
  return answer.body.data as T;
}

async function nextVmid(): Promise<number> {
  return Number(await api<string>('GET', '/cluster/nextid'));
}

interface PlanOptions {
  vmid: number;
  /** qcow2 (the default) is converted in place; raw is staged and imported. */
  format?: TargetFormat;
  bus?: DiskBus;
  firmware?: Firmware;
  start?: boolean;
}

/** A small l26 VM on pve1's `local` storage as qcow2; the profile is the caller's (another app's, in the crash test). */
function planWithoutProfile(image: { path: string; format: ImageFormat }, options: PlanOptions): MigrationChildOrders['plan'] {
  return {
    source: { kind: 'workstation', path: image.path, format: image.format },
    target: {
      node,
      storage: 'local',
      format: options.format ?? 'qcow2',
      vmid: options.vmid,
      name: `p2v-${options.vmid}`,
      ostype: 'l26',
      firmware: options.firmware ?? 'seabios',
      diskBus: options.bus ?? 'scsi',
      cores: 1,
      sockets: 1,
      memoryMiB: 256,
      nic: { model: 'virtio', bridge: 'vmbr0' },
      agent: false,
    },
    start: options.start ?? false,
  };
}

function planFor(image: { path: string; format: ImageFormat }, options: PlanOptions): P2vPlan {
  const plan = planWithoutProfile(image, options);
  return { ...plan, target: { ...plan.target, profileId } };
}

/** The job once it has left `running`, as `list` shows it. */
async function ended(id: string, list: () => Promise<P2vJobView[]> = () => app.ipc('p2v.list', {})): Promise<P2vJobView> {
  const job = await waitFor(
    `P2V job ${id} to end`,
    async () => (await list()).find((candidate) => candidate.id === id && candidate.state !== 'running'),
    jobTimeoutMs,
    500,
  );
  remember(job);
  return job;
}

async function migrate(plan: P2vPlan): Promise<P2vJobView> {
  const started = await app.ipc('p2v.start', plan);
  return ended(started.id);
}

/** Where a volume of the node's `local` storage is on this machine (lab storages are folders here). */
async function volumeFile(volid: string): Promise<string> {
  const match = /^local:(\d+\/[^/]+)$/.exec(volid);
  if (match === null) throw new Error(`not a volume of local: ${volid}`);
  const storageDir = await nodeOutput(ssh, 'printf %s "$LAB_STORAGE_LOCAL"');
  return join(storageDir, 'images', match[1] ?? '');
}

async function guestConfig(vmid: number): Promise<Record<string, string>> {
  return api<Record<string, string>>('GET', `/nodes/${node}/qemu/${vmid}/config`);
}

/** The volume id in a disk line (`local:123/vm-123-disk-0.qcow2,size=48M`). */
function volidOf(diskLine: string | undefined): string {
  return (diskLine ?? '').split(',')[0] ?? '';
}

async function stopVm(vmid: number): Promise<void> {
  const status = await api<{ status: string }>('GET', `/nodes/${node}/qemu/${vmid}/status/current`);
  if (status.status === 'running') await waitTask(lab, { token: auth.token }, await api<string>('POST', `/nodes/${node}/qemu/${vmid}/status/stop`));
}

async function removeVm(vmid: number): Promise<void> {
  await stopVm(vmid);
  const upid = await api<string>('DELETE', `/nodes/${node}/qemu/${vmid}`, { purge: 1, 'destroy-unreferenced-disks': 1 });
  await waitTask(lab, { token: auth.token }, upid);
}

/** Nothing of the job anywhere: no VM or volume of its VMID, no file it made under the storages, none of its node paths. */
async function expectNothingLeft(job: P2vJobView, storageBefore: string[]): Promise<void> {
  expect(await clusterLeftovers(lab, { token: auth.token }, job.plan.target.vmid)).toEqual([]);
  expect(await nodeStorageEntries(ssh)).toEqual(storageBefore);
  for (const artifact of artifactsSeen.get(job.id) ?? [])
    if (artifact.kind === 'node-file') expect(await nodePathExists(ssh, artifact.ref), `${artifact.ref} is still on the node`).toBe(false);
}

function testDisk(name: string, size: number, partitionTable: 'gpt' | 'mbr'): Promise<TestDisk> {
  return writeTestDisk(join(dir, `${name}.raw`), { size, partitionTable, extents: scatteredExtents(size) });
}

describe('P2V of a workstation image into the lab', () => {
  const buses: DiskBus[] = ['scsi', 'virtio', 'sata', 'ide'];
  // Each format on another bus, MBR and GPT in turn (GPT → OVMF, as the inspection proposes).
  const cases = imageKinds.map((kind, index): [ImageKind, 'mbr' | 'gpt', DiskBus] => [
    kind,
    index % 2 === 0 ? 'mbr' : 'gpt',
    buses[index % buses.length] ?? 'scsi',
  ]);

  it.each(cases)(
    'moves a %s image (%s) into a VM on %s that starts, its disk identical to the image',
    async (kind, table, bus) => {
      const size = 48 * MiB;
      const disk = await testDisk(kind, size, table);
      const image: ImageFixture = await makeImage(kind, disk, dir);
      const source = { kind: 'workstation' as const, path: image.path, format: image.format };

      const firmware = table === 'gpt' ? 'ovmf' : 'seabios';
      if (kind === 'vmdk-split-extents') {
        // Its extents are opened by name beside the descriptor: the node inspects it once they are copied there.
        await expect(app.ipc('p2v.inspect', { source, profileId, node })).rejects.toMatchObject({ code: 'BAD_FILE' });
      } else {
        const inspection = await app.ipc('p2v.inspect', { source, profileId, node });
        expect(inspection).toMatchObject({ format: image.format, virtualSize: size, partitionTable: table, firmwareProposal: firmware });
        expect(inspection.backingFile).toBeUndefined();
      }

      const storageBefore = await nodeStorageEntries(ssh);
      const vmid = await nextVmid();
      const job = await migrate(planFor(image, { vmid, bus, firmware, start: true }));
      expect(job.error).toBeUndefined();
      expect(job.state).toBe('succeeded');
      expect(job.steps.map((step) => step.state).every((state) => state === 'done' || state === 'skipped')).toBe(true);

      const config = await guestConfig(vmid);
      const volid = volidOf(config[`${bus}0`]);
      expect(volid).toMatch(new RegExp(`^local:${vmid}/vm-${vmid}-disk-\\d+\\.qcow2$`));
      expect(config.tags?.split(/[;, ]/)).toContain('p2v');
      expect(config.boot).toContain(`${bus}0`);
      expect(config.description).toContain(image.path.split('/').pop());
      expect((await api<{ status: string }>('GET', `/nodes/${node}/qemu/${vmid}/status/current`)).status).toBe('running');
      // QEMU holds the image's lock while it runs.
      await stopVm(vmid);
      await expectIdentical(image, { path: await volumeFile(volid), format: 'qcow2' });

      await removeVm(vmid);
      // After a success too, the job's work dir and staging copy are gone.
      await expectNothingLeft(job, storageBefore);
    },
    testTimeoutMs,
  );

  it(
    'converts a raw image that starts with a qcow2 header as raw, byte for byte, never reading the host file it names',
    async () => {
      const crafted = await craftedRawImage(dir);
      const probe = await app.ipc('p2v.probeImage', { path: crafted.path });
      expect(probe).toMatchObject({ formatByName: 'raw', formatByHeader: 'qcow2' });
      expect(probe.warnings.length).toBeGreaterThan(0);
      const source = { kind: 'workstation' as const, path: crafted.path, format: 'raw' as const };
      const inspection = await app.ipc('p2v.inspect', { source, profileId, node });
      expect(inspection).toMatchObject({ format: 'raw', virtualSize: crafted.size });
      expect(inspection.backingFile).toBeUndefined();

      const vmid = await nextVmid();
      const job = await migrate(planFor(source, { vmid }));
      expect(job.error).toBeUndefined();
      expect(job.state).toBe('succeeded');
      const volume = await volumeFile(volidOf((await guestConfig(vmid)).scsi0));
      const guestVisible = join(dir, 'crafted-in-vm.raw');
      await run('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', volume, guestVisible]);
      const migrated = readFileSync(guestVisible);
      expect(migrated.subarray(0, 4).toString('latin1')).toBe('QFI\xfb');
      expect(migrated.equals(readFileSync(crafted.path))).toBe(true);
      await removeVm(vmid);
    },
    testTimeoutMs,
  );
});

describe('P2V rollback', () => {
  let failing: P2vService;
  let injectBefore: P2vStepId | undefined;
  /** Something done as a step starts, to make it fail from inside (the link drops, the API drops a call). */
  let onStepStart: { id: P2vStepId; act: (job: P2vJobView) => Promise<void> } | undefined;
  /** What the checks saw at the moment of each failure: they must see the job's files while they are there. */
  const atFailure = new Map<P2vStepId, { storage: string[]; nodeFiles: { path: string; exists: boolean }[] }>();
  const failingJobs = (): Promise<P2vJobView[]> => failing.list();

  afterAll(async () => {
    await failing?.close();
  });

  beforeAll(() => {
    // The service as the app builds it, with the test seam on and a config folder of its own.
    failing = new P2vService({
      ...app.services.p2v.options,
      configDir: mkdtempSync(join(tmpdir(), 'p2v-failing-')),
      beforeStep: async (id, job) => {
        if (id === onStepStart?.id) await onStepStart.act(job);
        if (id !== injectBefore) return;
        const nodeFiles = job.created.filter((artifact) => artifact.kind === 'node-file').map((artifact) => artifact.ref);
        atFailure.set(id, {
          storage: await nodeStorageEntries(ssh),
          nodeFiles: await Promise.all(nodeFiles.map(async (path) => ({ path, exists: await nodePathExists(ssh, path) }))),
        });
        throw new Error(`injected failure before ${id}`);
      },
    });
  });

  it.each(p2vStepIds)(
    'a failure before %s fails the job, cleans what it created and leaves nothing behind',
    async (step) => {
      injectBefore = step;
      const disk = await testDisk(`fail-${step}`, 48 * MiB, 'mbr');
      const storageBefore = await nodeStorageEntries(ssh);
      const vmid = await nextVmid();
      const started = await failing.start(planFor({ path: disk.path, format: 'raw' }, { vmid, start: true }));
      const job = await ended(started.id, failingJobs);
      expect(job.state).toBe('failed');
      expect(job.error).toContain(`injected failure before ${step}`);
      const index = p2vStepIds.indexOf(step);
      expect(job.steps.find((view) => view.id === step)?.state).toBe('failed');
      for (const earlier of p2vStepIds.slice(0, index)) expect(['done', 'skipped']).toContain(job.steps.find((view) => view.id === earlier)?.state);
      expect(job.created).toEqual([]);
      // It says what it cleaned: nothing before it inspected the source (over an export in its work dir), its work dir
      // after that, the VM once made.
      if (index <= p2vStepIds.indexOf('inspect')) expect(job.cleaned).toEqual([]);
      else expect(job.cleaned.length).toBeGreaterThan(0);
      if (index > p2vStepIds.indexOf('create-vm')) expect(job.cleaned).toContainEqual(expect.objectContaining({ kind: 'vm', ref: String(vmid) }));
      // The checks below are not blind: at the failure they saw the job's work dir (until the disk is attached) and,
      // once prepared, the VM's volume it converts into.
      if (index > p2vStepIds.indexOf('inspect') && index <= p2vStepIds.indexOf('import-disk')) {
        expect(atFailure.get(step)?.nodeFiles.length).toBeGreaterThan(0);
        expect(atFailure.get(step)?.nodeFiles.every((file) => file.exists)).toBe(true);
      }
      if (index > p2vStepIds.indexOf('prepare') && index <= p2vStepIds.indexOf('import-disk')) expect(atFailure.get(step)?.storage).not.toEqual(storageBefore);
      await expectNothingLeft(job, storageBefore);
    },
    testTimeoutMs,
  );

  /** Runs a migration of a 256 MiB disk (40 % data) on the failing service and checks the failed step and the rollback. */
  async function failsInside(step: P2vStepId, act: (job: P2vJobView) => Promise<void>, format: TargetFormat = 'qcow2'): Promise<P2vJobView> {
    injectBefore = undefined;
    onStepStart = { id: step, act };
    const size = 256 * MiB;
    const disk = await writeTestDisk(join(dir, `inside-${step}.raw`), { size, partitionTable: 'gpt', extents: spreadExtents(size, 0.4) });
    const storageBefore = await nodeStorageEntries(ssh);
    try {
      const started = await failing.start(planFor({ path: disk.path, format: 'raw' }, { vmid: await nextVmid(), format }));
      const job = await ended(started.id, failingJobs);
      expect(job.state).toBe('failed');
      expect(job.steps.find((view) => view.id === step)?.state).toBe('failed');
      expect(job.created).toEqual([]);
      expect(job.cleaned.length).toBeGreaterThan(0);
      await expectNothingLeft(job, storageBefore);
      return job;
    } finally {
      onStepStart = undefined;
    }
  }

  it(
    'a link to the node that drops during the transfer fails the job, which reconnects to clean up and leaves nothing behind',
    async () => {
      proxy.limit(8 * MiB);
      try {
        await failsInside('transfer', () => {
          const from = proxy.sentBytes();
          // Once data flows, the link breaks: every SSH connection to the node at once, the NBD channel's included.
          void waitFor('transfer data on the link', () => (proxy.sentBytes() > from + 16 * MiB ? true : undefined), jobTimeoutMs, 100)
            .then(() => {
              proxy.limit(undefined);
              proxy.cutConnections();
            })
            .catch(() => undefined);
          return Promise.resolve();
        });
      } finally {
        proxy.limit(undefined);
      }
    },
    testTimeoutMs,
  );

  it(
    'a staged copy that differs from the source fails verify, stops the import begun beside it, and leaves nothing behind',
    async () => {
      const job = await failsInside(
        'verify',
        async (running) => {
          // One byte of the staged copy flipped on the node, as a damaged write would leave it.
          const workDir = running.created.find((artifact) => artifact.kind === 'node-file')?.ref;
          expect(workDir).toBeDefined();
          const flip =
            'open(my $f, "+<", $ARGV[0]) or die; sysseek($f, $ARGV[1], 0); sysread($f, my $b, 1); sysseek($f, $ARGV[1], 0); syswrite($f, chr(ord($b) ^ 255));';
          await nodeOutput(ssh, `perl -e '${flip}' '${workDir}/staging.raw' ${3 * MiB + 17}`);
        },
        'raw',
      );
      expect(job.error).toMatch(/differs from the source/);
      expect(job.cleaned).toContainEqual(expect.objectContaining({ kind: 'vm' }));
    },
    testTimeoutMs,
  );

  it(
    'a volume converted in place that differs from the source fails verify and leaves nothing behind',
    async () => {
      const job = await failsInside('verify', async (running) => {
        // 512 bytes of the VM's qcow2 volume overwritten through qemu, as a damaged write would leave them.
        const volid = running.created.find((artifact) => artifact.kind === 'volume')?.ref;
        expect(volid).toBeDefined();
        await promisify(execFile)('qemu-io', ['-f', 'qcow2', '-c', `write -P 90 ${3 * MiB + 512} 512`, await volumeFile(volid ?? '')]);
      });
      expect(job.error).toMatch(/differs from the source/);
      expect(job.cleaned).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'vm' }), expect.objectContaining({ kind: 'volume' })]));
    },
    testTimeoutMs,
  );

  it(
    'the API dropping the create call fails create-vm; the VMID recorded before it is rolled back harmlessly, nothing left',
    async () => {
      const faults = (params: Record<string, string | number>): Promise<unknown> => api('POST', '/lab/faults', params);
      try {
        const job = await failsInside('create-vm', async () => {
          await faults({ drop: -1, path: `^/nodes/${node}/qemu$` });
        });
        expect(job.error).toMatch(/creating the vm/i);
      } finally {
        await faults({ clear: 1 });
      }
    },
    testTimeoutMs,
  );

  it(
    'cancels a migration during its transfer: cancelled, rolled back, nothing left',
    async () => {
      const size = 256 * MiB;
      const disk = await writeTestDisk(join(dir, 'cancel.raw'), { size, partitionTable: 'gpt', extents: spreadExtents(size, 0.4) });
      const storageBefore = await nodeStorageEntries(ssh);
      proxy.limit(8 * MiB);
      try {
        const started = await app.ipc('p2v.start', planFor({ path: disk.path, format: 'raw' }, { vmid: await nextVmid() }));
        await waitFor(
          'the transfer to be under way',
          async () => {
            const job = (await app.ipc('p2v.list', {})).find((candidate) => candidate.id === started.id);
            if (job !== undefined) remember(job);
            return job?.steps.find((view) => view.id === 'transfer')?.state === 'running' && (job?.transfer?.wireBytes ?? 0) > 0 ? true : undefined;
          },
          jobTimeoutMs,
          200,
        );
        await app.ipc('p2v.cancel', { id: started.id });
        const job = await ended(started.id);
        expect(job.state).toBe('cancelled');
        expect(job.created).toEqual([]);
        await expectNothingLeft(job, storageBefore);
      } finally {
        proxy.limit(undefined);
      }
    },
    testTimeoutMs,
  );
});

describe('P2V resume after a crash', () => {
  it(
    'resumes in a new app a transfer killed half-way, sending at most 10 % more than the allocated data in total',
    async () => {
      const size = 384 * MiB;
      const disk = await writeTestDisk(join(dir, 'resume.raw'), { size, partitionTable: 'gpt', extents: spreadExtents(size, 0.4) });
      const pve1 = firstCluster(lab.ready).nodes.find((candidate) => candidate.name === node);
      if (pve1 === undefined) throw new Error('no pve1 in the lab');
      // A link of its own, slow enough for the kill to land half-way, counting both apps' bytes.
      const link = await startMeteredProxy({ host: pve1.ssh.host, port: pve1.ssh.port });
      link.limit(12 * MiB);
      const configDir = mkdtempSync(join(tmpdir(), 'p2v-crash-'));
      const sshAt = { [node]: { host: '127.0.0.1', port: link.port } };
      const plan = planWithoutProfile({ path: disk.path, format: 'raw' }, { vmid: await nextVmid() });
      const crashing = startMigrationChild({ ready: lab.ready, name: 'p2v-crash', configDir, sshAt, plan });
      let resumed: LabServices | undefined;
      try {
        const { profileId: crashedProfile, job: running } = await waitFor(
          'the transfer to be half-way',
          () => {
            crashing.assertRunning();
            const latest = crashing.latest();
            const transferring = latest.job?.steps.find((view) => view.id === 'transfer')?.state === 'running';
            return transferring && link.sentBytes() >= disk.dataBytes / 2 && latest.profileId !== undefined && latest.job !== undefined
              ? { profileId: latest.profileId, job: latest.job }
              : undefined;
          },
          jobTimeoutMs,
          100,
        );
        await crashing.kill();
        const firstRunBytes = link.sentBytes();
        link.limit(undefined);

        resumed = await startLabServices(lab.ready, 'p2v-crash', 20_000, configDir);
        acceptHostKeys(resumed);
        await connectSaved(resumed, lab.ready, crashedProfile);
        const app2 = resumed;
        const interrupted = (await app2.ipc('p2v.list', {})).find((candidate) => candidate.id === running.id);
        expect(interrupted?.state).toBe('interrupted');
        await app2.ipc('p2v.resume', { id: running.id });
        const job = await ended(running.id, () => app2.ipc('p2v.list', {}));
        expect(job.error).toBeUndefined();
        expect(job.state).toBe('succeeded');

        const allocated = job.transfer?.allocatedBytes ?? 0;
        // The allocated data is the test disk's data (and its partition table's blocks), not the whole disk.
        expect(allocated).toBeGreaterThanOrEqual(disk.dataBytes);
        expect(allocated).toBeLessThan(disk.dataBytes + 4 * MiB);
        const total = link.sentBytes();
        expect(total, `${total} bytes crossed the wire for ${allocated} allocated`).toBeLessThanOrEqual(1.1 * allocated);
        expect(job.transfer?.wireBytes ?? Infinity).toBeLessThanOrEqual(1.1 * allocated);
        // It resumed: the second app sent what was left, not everything again.
        expect(total - firstRunBytes).toBeLessThan(0.75 * allocated);

        const volume = await volumeFile(volidOf((await guestConfig(job.plan.target.vmid)).scsi0));
        await expectIdentical({ path: disk.path, format: 'raw' }, { path: volume, format: 'qcow2' });
        await removeVm(job.plan.target.vmid);
      } finally {
        await crashing.kill();
        await resumed?.services.close();
        await link.close();
        rmSync(configDir, { recursive: true, force: true });
      }
    },
    testTimeoutMs,
  );
});
