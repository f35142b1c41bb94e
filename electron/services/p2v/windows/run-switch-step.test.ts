import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../../shared/domain/jobs';
import { PveError, type ApiCall } from '../../pve';
import { runWindowsSwitchStep, type WindowsSwitchContext, type WindowsSwitchInput } from './run-switch-step';
import { temporaryDiskSerial } from './switch-plan';

type Answer = (call: ApiCall<unknown>) => unknown;

const digest = 'c0ffee'.padEnd(40, '0');
const withTemporaryDisk = {
  boot: 'order=sata0;ide2;net0',
  ide2: 'local:iso/virtio-win.iso,media=cdrom',
  sata0: 'local:120/vm-120-disk-0.qcow2,cache=writeback,size=64G',
  virtio0: `local:120/vm-120-disk-1.qcow2,serial=${temporaryDiskSerial},size=1G`,
  digest,
};
const input: WindowsSwitchInput = {
  profileId: 'p'.repeat(32),
  node: 'pve1',
  vmid: 120,
  step: 'remove-temporary-disk',
  bus: 'virtio',
  temporaryStorage: 'local',
};
const upid = 'UPID:pve1:00001234:00005678:6750A1B2:qmconfig:120:root@pam:';

/** A cluster answering by route name; the config task ends as `ended` says. */
function setUp(answers: Record<string, Answer>, ended: Partial<JobView> = { state: 'succeeded' }) {
  const sent: ApiCall<unknown>[] = [];
  const followed: string[] = [];
  const context: WindowsSwitchContext = {
    client: {
      execute: <T>(call: ApiCall<T>): Promise<T> => {
        sent.push(call as ApiCall<unknown>);
        const answer = answers[call.name];
        if (answer === undefined) return Promise.reject(new Error(`unexpected call ${call.name}`));
        try {
          return Promise.resolve(call.data.parse(answer(call as ApiCall<unknown>)));
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    },
    jobs: {
      followTask: (_profileId, task) => {
        followed.push(task);
        return {
          id: `pve:x:${task}`,
          kind: 'pve:qmconfig',
          title: { key: 'tasks.kinds.qmconfig' },
          subject: {},
          origin: 'app',
          state: 'running',
          startedAt: '',
          cancellable: false,
        };
      },
      whenEnded: (id) =>
        Promise.resolve({
          id,
          kind: 'pve:qmconfig',
          title: { key: 'tasks.kinds.qmconfig' },
          subject: {},
          origin: 'app',
          state: 'running',
          startedAt: '',
          cancellable: false,
          ...ended,
        }),
    },
  };
  return { context, sent, followed };
}

const stopped: Answer = () => ({ status: 'stopped' });

describe('runWindowsSwitchStep', () => {
  it('sends the change with the digest it read, follows its task, then checks the config and the storage', async () => {
    let configReads = 0;
    const { context, sent, followed } = setUp({
      'GET /nodes/{node}/qemu/{vmid}/status/current': stopped,
      'GET /nodes/{node}/qemu/{vmid}/config': () => {
        const { virtio0: _removed, ...afterRemoval } = withTemporaryDisk;
        return configReads++ === 0 ? withTemporaryDisk : { ...afterRemoval, digest: 'd'.repeat(40) };
      },
      'POST /nodes/{node}/qemu/{vmid}/config': () => upid,
      'GET /nodes/{node}/storage/{storage}/content': () => [
        { volid: 'local:120/vm-120-disk-0.qcow2', content: 'images', format: 'qcow2', size: 64 * 1024 ** 3, vmid: 120 },
      ],
    });
    const result = await runWindowsSwitchStep(context, input);
    expect(sent.find((call) => call.method === 'POST')?.form).toEqual({ delete: 'virtio0', digest, force: 1 });
    expect(followed).toEqual([upid]);
    expect(result.checks.every((check) => check.ok)).toBe(true);
    expect(result.checks.at(-1)).toEqual({ key: 'local:120/vm-120-disk-1.qcow2', expected: 'deleted from local', actual: 'not on local', ok: true });
  });

  it('refuses a guest that is not stopped before reading or changing anything', async () => {
    const { context, sent } = setUp({ 'GET /nodes/{node}/qemu/{vmid}/status/current': () => ({ status: 'running' }) });
    await expect(runWindowsSwitchStep(context, input)).rejects.toMatchObject({ code: 'GUEST_RUNNING', message: expect.stringContaining('VM 120 is running') });
    expect(sent.map((call) => call.name)).toEqual(['GET /nodes/{node}/qemu/{vmid}/status/current']);
  });

  it('answers CONFLICT when PVE refuses the digest before its task', async () => {
    const { context } = setUp({
      'GET /nodes/{node}/qemu/{vmid}/status/current': stopped,
      'GET /nodes/{node}/qemu/{vmid}/config': () => withTemporaryDisk,
      'POST /nodes/{node}/qemu/{vmid}/config': () => {
        throw new PveError('SERVER_ERROR', 'refused', { endpoint: 'pve1', status: 500, serverMessage: 'checksum mismatch (file change by other user?)' });
      },
    });
    await expect(runWindowsSwitchStep(context, input)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('answers CONFLICT when the task finds the config changed, SERVER_ERROR with PVE’s words for any other failure', async () => {
    const answers = {
      'GET /nodes/{node}/qemu/{vmid}/status/current': stopped,
      'GET /nodes/{node}/qemu/{vmid}/config': () => withTemporaryDisk,
      'POST /nodes/{node}/qemu/{vmid}/config': () => upid,
    };
    const changed = setUp(answers, { state: 'failed', error: 'checksum mismatch (file change by other user?)' });
    await expect(runWindowsSwitchStep(changed.context, input)).rejects.toMatchObject({ code: 'CONFLICT' });
    const locked = setUp(answers, { state: 'failed', error: 'VM is locked (backup)' });
    await expect(runWindowsSwitchStep(locked.context, input)).rejects.toMatchObject({
      code: 'SERVER_ERROR',
      message: expect.stringContaining('VM is locked (backup)'),
    });
  });
});
