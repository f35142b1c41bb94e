import { describe, expect, it, vi } from 'vitest';
import type { JobSubject, JobTitle, JobView } from '../../../shared/domain/jobs';
import type { JobWork } from '../jobs';
import { PveError } from '../pve';
import { powerGuests, type PowerJobs } from './power';
import { fakeInventoryClient, permissionDenied, recordingLogger } from './testing';

const profileId = '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10';
const upidOf = (vmid: number, type = 'qmshutdown'): string => `UPID:pve1:00001234:00005678:6560A0B0:${type}:${vmid}:root@pam:`;

function viewOf(id: string, title: JobTitle, subject: JobSubject = {}): JobView {
  return { id, kind: 'test', title, subject, origin: 'app', state: 'running', startedAt: '2026-12-02T06:00:00.000Z', cancellable: true };
}

function fakeJobs() {
  const works: JobWork[] = [];
  const jobs = {
    followTask: vi.fn<PowerJobs['followTask']>((_profileId, upid, options) => viewOf(`pve:${upid}`, options?.title ?? { key: '' })),
    start: vi.fn<PowerJobs['start']>((_kind, title, subject, work) => {
      works.push(work);
      return viewOf(`app:${works.length}`, title, subject);
    }),
  };
  return { jobs, works };
}

describe('powerGuests', () => {
  it('starts one task per guest, follows each as a job titled with the guest, and answers the jobs in target order', async () => {
    const client = fakeInventoryClient();
    client.guestPower.mockImplementation((_node, vmid) => Promise.resolve(upidOf(vmid)));
    const { jobs } = fakeJobs();
    const targets = [101, 100, 102].map((vmid) => ({ profileId, node: 'pve1', vmid }));
    const views = await powerGuests(
      { action: 'shutdown', targets, timeout: 60 },
      { client: () => client, jobs, logger: recordingLogger(), clusterName: () => 'lab', guestName: ({ vmid }) => (vmid === 100 ? 'debian-lab' : undefined) },
    );
    expect(views.map((view) => view.id)).toEqual([101, 100, 102].map((vmid) => `pve:${upidOf(vmid)}`));
    expect(client.guestPower).toHaveBeenCalledWith('pve1', 101, 'shutdown', { timeout: 60 });
    expect(jobs.followTask).toHaveBeenCalledWith(profileId, upidOf(100), {
      cluster: 'lab',
      title: { key: 'inventory.jobs.shutdown', params: { guest: 'debian-lab' } },
    });
    expect(jobs.followTask).toHaveBeenCalledWith(profileId, upidOf(101), {
      cluster: 'lab',
      title: { key: 'inventory.jobs.shutdown', params: { guest: '101' } },
    });
  });

  it('hibernates with suspend todisk=1, and gives other actions no options', async () => {
    const client = fakeInventoryClient();
    client.guestPower.mockResolvedValue(upidOf(100, 'qmsuspend'));
    const context = { client: () => client, jobs: fakeJobs().jobs, logger: recordingLogger(), clusterName: () => undefined, guestName: () => undefined };
    await powerGuests({ action: 'hibernate', targets: [{ profileId, node: 'pve1', vmid: 100 }] }, context);
    await powerGuests({ action: 'reboot', targets: [{ profileId, node: 'pve1', vmid: 100 }], timeout: 30 }, context);
    expect(client.guestPower.mock.calls).toEqual([
      ['pve1', 100, 'suspend', { todisk: true }],
      ['pve1', 100, 'reboot', {}],
    ]);
  });

  it('gives a target whose call failed a failed job of its own with the error, in its place', async () => {
    const client = fakeInventoryClient();
    client.guestPower.mockImplementation((_node, vmid) =>
      vmid === 101 ? Promise.reject(permissionDenied('/vms/101', 'VM.PowerMgmt')) : Promise.resolve(upidOf(vmid, 'qmstop')),
    );
    const { jobs, works } = fakeJobs();
    const views = await powerGuests(
      { action: 'stop', targets: [100, 101, 102].map((vmid) => ({ profileId, node: 'pve2', vmid })) },
      { client: () => client, jobs, logger: recordingLogger(), clusterName: () => 'lab', guestName: () => undefined },
    );
    expect(views.map((view) => view.id)).toEqual([`pve:${upidOf(100, 'qmstop')}`, 'app:1', `pve:${upidOf(102, 'qmstop')}`]);
    expect(views[1]).toMatchObject({
      title: { key: 'inventory.jobs.stop', params: { guest: '101' } },
      subject: { profileId, cluster: 'lab', node: 'pve2', vmid: 101 },
    });
    const work = works[0];
    if (work === undefined) throw new Error('no failed job was started');
    await expect(work({ signal: new AbortController().signal, progress: () => undefined, log: () => undefined })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: permissionDenied('/vms/101', 'VM.PowerMgmt').message,
    });
  });

  it('keeps the French of a failed call’s message in its failed job', async () => {
    const client = fakeInventoryClient();
    const denied = new PveError(
      'PERMISSION_DENIED',
      { en: 'This account lacks the privilege VM.PowerMgmt on /vms/100.', fr: 'Ce compte n’a pas le privilège VM.PowerMgmt sur /vms/100.' },
      { path: '/vms/100', privilege: 'VM.PowerMgmt', serverMessage: 'Permission check failed (/vms/100, VM.PowerMgmt)' },
    );
    client.guestPower.mockRejectedValue(denied);
    const { jobs, works } = fakeJobs();
    await powerGuests(
      { action: 'start', targets: [{ profileId, node: 'pve1', vmid: 100 }] },
      { client: () => client, jobs, logger: recordingLogger(), clusterName: () => undefined, guestName: () => undefined },
    );
    await expect(works[0]?.({ signal: new AbortController().signal, progress: () => undefined, log: () => undefined })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'This account lacks the privilege VM.PowerMgmt on /vms/100.',
      translations: { fr: 'Ce compte n’a pas le privilège VM.PowerMgmt sur /vms/100.' },
    });
  });

  it('runs at most 4 power calls at once', async () => {
    const client = fakeInventoryClient();
    let running = 0;
    let most = 0;
    client.guestPower.mockImplementation(async (_node, vmid) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return upidOf(vmid, 'qmstart');
    });
    const views = await powerGuests(
      { action: 'start', targets: Array.from({ length: 20 }, (_, i) => ({ profileId, node: 'pve1', vmid: 100 + i })) },
      { client: () => client, jobs: fakeJobs().jobs, logger: recordingLogger(), clusterName: () => undefined, guestName: () => undefined },
    );
    expect(views).toHaveLength(20);
    expect(most).toBe(4);
  });
});
