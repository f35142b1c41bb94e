import { describe, expect, it } from 'vitest';
import type { JobTitle, JobView } from '../../../shared/domain/jobs';
import { sentenceOfError } from '../../../shared/text/sentence';
import type { JobWork } from '../jobs';
import { silentLogger } from '../log';
import { PveError, type ApiCall, type PveClient } from '../pve';
import { OperationsService } from './operations-service';

const profileId = '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10';
const GiB = 1024 ** 3;

function upid(node: string, type: string, id: string): string {
  return `UPID:${node}:0000AAAA:0000BBBB:65000000:${type}:${id}:root@pam:`;
}

/** Jobs as the service sees them: app jobs run their work, followed tasks stay running until the test ends them. */
class FakeJobs {
  private readonly views = new Map<string, JobView>();
  private readonly logs = new Map<string, string[]>();
  private readonly waiters = new Map<string, ((view: JobView) => void)[]>();
  private count = 0;

  add(fields: Pick<JobView, 'id' | 'kind' | 'title' | 'subject'> & { upid?: string }): JobView {
    const view: JobView = { ...fields, origin: 'app', state: 'running', startedAt: new Date().toISOString(), cancellable: true };
    this.views.set(view.id, view);
    this.logs.set(view.id, []);
    return view;
  }

  start(kind: string, title: JobTitle, subject: JobView['subject'], work: JobWork): JobView {
    this.count += 1;
    const view = this.add({ id: `app:${this.count}`, kind, title, subject });
    const signal = new AbortController().signal;
    void work({ signal, progress: (progress) => this.patch(view.id, { progress }), log: (line) => this.logs.get(view.id)?.push(line) }).then(
      () => this.end(view.id, { state: 'succeeded' }),
      (error: unknown) => {
        // As the registry keeps it: the English message, and the French when the error has one.
        const { en, fr } = sentenceOfError(error);
        this.end(view.id, { state: 'failed', error: en, ...(fr !== en ? { errorTranslations: { fr } } : {}) });
      },
    );
    return view;
  }

  end(id: string, patch: Partial<JobView>): void {
    const view = this.patch(id, patch);
    for (const resolve of this.waiters.get(id) ?? []) resolve(view);
    this.waiters.delete(id);
  }

  whenEnded(id: string): Promise<JobView | undefined> {
    const view = this.views.get(id);
    if (view === undefined || view.state !== 'running') return Promise.resolve(view);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  view(id: string): JobView | undefined {
    return this.views.get(id);
  }

  log(id: string): string[] {
    return this.logs.get(id) ?? [];
  }

  private patch(id: string, patch: Partial<JobView>): JobView {
    const view = { ...(this.views.get(id) as JobView), ...patch };
    this.views.set(id, view);
    return view;
  }
}

type Answer = (call: ApiCall<unknown>) => unknown;

/**
 * The service over a fake cluster answering by route name, and jobs kept in a
 * real registry: a followed task is a running job the test ends itself.
 */
function setUp(answers: Record<string, Answer>) {
  const sent: ApiCall<unknown>[] = [];
  const client = {
    execute: (call: ApiCall<unknown>) => {
      sent.push(call);
      const answer = answers[call.name];
      if (answer === undefined) return Promise.reject(new Error(`unexpected call ${call.name}`));
      try {
        return Promise.resolve(call.data.parse(answer(call)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  } as unknown as PveClient;
  const registry = new FakeJobs();
  const followed: JobView[] = [];
  const jobs = {
    start: (kind: string, title: JobTitle, subject: JobView['subject'], work: JobWork) => registry.start(kind, title, subject, work),
    followTask: (_profile: string, task: string, options: { cluster?: string; title?: JobTitle } = {}) => {
      const view = registry.add({ id: `pve:${profileId}:${task}`, kind: 'pve:task', title: options.title ?? { key: 'x' }, subject: { profileId }, upid: task });
      followed.push(view);
      return view;
    },
    whenEnded: (id: string) => registry.whenEnded(id),
  };
  const sessions = { connected: () => Promise.resolve([{ profileId, name: 'lab', clusterName: 'labcluster' }]), client: () => client };
  const service = new OperationsService({ sessions, jobs, logger: silentLogger });
  return { service, sent, registry, followed };
}

const nodes = [
  { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', maxmem: 64 * GiB, mem: 8 * GiB },
  { id: 'node/pve2', type: 'node', node: 'pve2', status: 'online', maxmem: 64 * GiB, mem: 8 * GiB },
  { id: 'node/pve3', type: 'node', node: 'pve3', status: 'offline' },
];

describe('OperationsService', () => {
  it('turns a digest mismatch of a config change into CONFLICT, before any job exists', async () => {
    const { service, registry } = setUp({
      'GET /nodes/{node}/qemu/{vmid}/config': () => ({ name: 'web', digest: 'a'.repeat(40) }),
      'POST /nodes/{node}/qemu/{vmid}/config': () => {
        throw new PveError('SERVER_ERROR', 'x', {
          endpoint: 'e',
          status: 500,
          serverMessage: 'detected modified configuration - file changed by other user? Try again.',
        });
      },
    });
    await expect(
      service.updateConfig({ profileId, node: 'pve1', vmid: 100, digest: 'b'.repeat(40), set: { cores: 2 }, delete: [], revert: [] }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(registry.view('app:1')).toBeUndefined();
  });

  it('shows a volume PVE removed at once as a job already ended, named for the task pane', async () => {
    const { service, registry } = setUp({ 'DELETE /nodes/{node}/storage/{storage}/content/{volume}': () => null });
    const job = await service.deleteVolume({ profileId, node: 'pve1', volume: 'local:backup/vzdump-qemu-100.vma.zst' });
    expect(job.title).toEqual({ key: 'operations.jobs.deleteVolume', params: { volume: 'backup/vzdump-qemu-100.vma.zst' } });
    expect(job.subject).toMatchObject({ cluster: 'labcluster', node: 'pve1' });
    await expect(registry.whenEnded(job.id)).resolves.toMatchObject({ state: 'succeeded' });
  });

  it('runs a backup job now on each online node with its options, skipping the nodes that answer OK', async () => {
    const { service, sent, followed } = setUp({
      'GET /cluster/backup': () => [
        {
          id: 'weekly',
          type: 'vzdump',
          enabled: 1,
          schedule: 'sat 02:00',
          storage: 'local',
          vmid: '100,200',
          mode: 'snapshot',
          'prune-backups': 'keep-last=2',
        },
      ],
      'GET /cluster/resources': () => nodes,
      'POST /nodes/{node}/vzdump': (call) => (call.path.includes('pve1') ? upid('pve1', 'vzdump', '') : 'OK'),
    });
    const jobs = await service.runBackupJob({ profileId, id: 'weekly' });
    expect(jobs).toHaveLength(1);
    expect(followed[0]?.title).toEqual({ key: 'operations.jobs.backupJobRun', params: { job: 'weekly', node: 'pve1' } });
    const runs = sent.filter((call) => call.name === 'POST /nodes/{node}/vzdump');
    expect(runs.map((call) => call.path)).toEqual(['/nodes/pve1/vzdump', '/nodes/pve2/vzdump']);
    expect(runs[0]?.form).toEqual({ storage: 'local', vmid: '100,200', mode: 'snapshot', 'prune-backups': 'keep-last=2', all: 0 });
  });

  it('refuses to shrink a disk without calling resize', async () => {
    const { service, sent } = setUp({
      'GET /nodes/{node}/qemu/{vmid}/config': () => ({ scsi0: 'local:100/vm-100-disk-0.qcow2,size=32G', digest: 'a'.repeat(40) }),
    });
    await expect(service.resizeDisk({ profileId, node: 'pve1', vmid: 100, disk: 'scsi0', size: 16 * GiB })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(sent.map((call) => call.name)).toEqual(['GET /nodes/{node}/qemu/{vmid}/config']);
  });

  it('evacuates guests as one job of followed migrations, live for a running guest, failing when one failed', async () => {
    const { service, sent, registry, followed } = setUp({
      'GET /nodes/{node}/qemu/{vmid}/migrate': (call) => ({
        running: call.path.includes('/101/') ? 1 : 0,
        allowed_nodes: ['pve2'],
        not_allowed_nodes: {},
        local_disks: call.path.includes('/102/') ? [{ volid: 'local:102/vm-102-disk-0.qcow2', drivename: 'scsi0' }] : [],
        local_resources: [],
      }),
      'GET /nodes/{node}/qemu/{vmid}/config': () => ({ name: 'guest', digest: 'a'.repeat(40) }),
      'POST /nodes/{node}/qemu/{vmid}/migrate': (call) => upid('pve1', 'qmigrate', call.path.split('/')[4] ?? ''),
    });
    const evacuation = await service.evacuate({
      profileId,
      node: 'pve1',
      moves: [
        { vmid: 101, target: 'pve2' },
        { vmid: 102, target: 'pve2' },
      ],
    });
    await expect.poll(() => followed.length).toBe(2);
    const migrations = sent.filter((call) => call.name === 'POST /nodes/{node}/qemu/{vmid}/migrate');
    expect(migrations.map((call) => call.form)).toEqual([
      { target: 'pve2', online: true, 'with-local-disks': false, targetstorage: undefined },
      { target: 'pve2', online: false, 'with-local-disks': true, targetstorage: undefined },
    ]);
    registry.end(followed[0]?.id ?? '', { state: 'succeeded' });
    registry.end(followed[1]?.id ?? '', { state: 'failed', error: "can't migrate VM - check log" });
    const ended = await registry.whenEnded(evacuation.id);
    expect(ended).toMatchObject({ state: 'failed', progress: { unit: 'items', done: 2, total: 2 } });
    expect(ended?.error).toBe("1 of 2 migrations failed: 102 (can't migrate VM - check log)");
    expect(ended?.errorTranslations?.fr).toBe("1 migration sur 2 a échoué : 102 (can't migrate VM - check log)");
    expect(registry.log(evacuation.id)).toEqual(['VM 101 → pve2: migrated', "VM 102 → pve2: can't migrate VM - check log"]);
  });

  it('plans an evacuation over the online nodes its guests may go to, a guest pinned by local devices blocked', async () => {
    const { service } = setUp({
      'GET /cluster/resources': (call) =>
        call.query?.type === 'node'
          ? nodes
          : [
              { id: 'qemu/101', type: 'qemu', vmid: 101, node: 'pve1', status: 'running', maxmem: 4 * GiB, name: 'a' },
              { id: 'qemu/102', type: 'qemu', vmid: 102, node: 'pve1', status: 'running', maxmem: 2 * GiB },
              { id: 'qemu/200', type: 'qemu', vmid: 200, node: 'pve2', status: 'running', maxmem: 2 * GiB },
            ],
      'GET /nodes/{node}/qemu/{vmid}/migrate': (call) => ({
        running: 1,
        allowed_nodes: ['pve2', 'pve3'],
        not_allowed_nodes: {},
        local_disks: [],
        local_resources: call.path.includes('/102/') ? ['hostpci0'] : [],
      }),
    });
    const plan = await service.evacuationPlan({ profileId, node: 'pve1' });
    expect(plan.moves).toEqual([
      { vmid: 101, name: 'a', memory: 4 * GiB, running: true, target: 'pve2' },
      { vmid: 102, memory: 2 * GiB, running: true, blocked: 'local resources: hostpci0', blockedTranslations: { fr: 'ressources locales : hostpci0' } },
    ]);
    expect(plan.freeAfter).toEqual({ pve2: 52 * GiB });
  });
});
