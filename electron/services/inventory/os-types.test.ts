import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryDelta } from '../../../shared/domain/inventory';
import type { GuestConfig } from '../pve';
import type { ClusterPoller } from './cluster-poller';
import { fakeInventoryClient, permissionDenied, serverError, startedPoller, unreachable, vmItem, type FakeInventoryClient } from './testing';

const minute = 60_000;

describe('guest OS types', () => {
  let client: FakeInventoryClient;
  let deltas: InventoryDelta[];
  let poller: ClusterPoller;
  let answer: unknown[];
  let configs: Record<number, GuestConfig>;

  function startPoller(): void {
    poller = startedPoller(client, (d) => deltas.push(d));
  }

  const osTypeOf = (id: string): string | undefined => poller.page(0, 1000).items.find((item) => item.id === id)?.ostype;
  const readVmids = (): number[] => client.getGuestConfig.mock.calls.map(([, vmid]) => vmid);
  const guests = (count: number): unknown[] => Array.from({ length: count }, (_, i) => vmItem(1000 + i, { status: 'stopped' }));

  beforeEach(() => {
    vi.useFakeTimers();
    client = fakeInventoryClient();
    client.getAgentInterfaces.mockRejectedValue(serverError('No QEMU guest agent configured'));
    configs = { 100: { ostype: 'l26' }, 101: { ostype: 'win2k22' }, 102: { ostype: 'win11' }, 103: { name: 'no-ostype' } };
    answer = [
      vmItem(100),
      vmItem(101, { status: 'stopped' }),
      vmItem(102, { template: 1, status: 'stopped' }),
      vmItem(103),
      { id: 'lxc/104', type: 'lxc', vmid: 104, node: 'pve1', status: 'running' },
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online' },
    ];
    client.getClusterResourceList.mockImplementation(() => Promise.resolve(answer));
    client.getGuestConfig.mockImplementation((_node, vmid) => Promise.resolve(configs[vmid] ?? { ostype: 'other' }));
    deltas = [];
  });

  afterEach(() => {
    poller.close();
    vi.useRealTimers();
  });

  it('reads the config of every QEMU guest, running or not, and sends their OS types as a delta of the items', async () => {
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(readVmids().sort()).toEqual([100, 101, 102, 103]);
    expect(client.getGuestConfig.mock.calls[0]?.[2]).toMatchObject({ timeoutMs: 10_000, signal: expect.any(AbortSignal) as unknown });
    expect([100, 101, 102, 103].map((vmid) => osTypeOf(`qemu/${vmid}`))).toEqual(['l26', 'win2k22', 'win11', undefined]);
    expect(deltas).toHaveLength(2);
    expect(deltas[1]).toMatchObject({ baseRevision: 1, feed: { revision: 2 }, removed: [] });
    expect(deltas[1]?.upserted.map((item) => `${item.id}:${item.ostype}`).sort()).toEqual(['qemu/100:l26', 'qemu/101:win2k22', 'qemu/102:win11']);
  });

  it('cleans the value of bidi controls and caps it at 32 characters', async () => {
    configs = { 100: { ostype: '\u202Ewin\u2066' + 'x'.repeat(100) }, 101: { ostype: 7 } };
    answer = [vmItem(100), vmItem(101)];
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(osTypeOf('qemu/100')).toBe('win' + 'x'.repeat(29));
    expect(osTypeOf('qemu/101')).toBe('7');
  });

  it('reads a known OS type again only after 15 minutes, and sends a change as a delta', async () => {
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    client.getGuestConfig.mockClear();
    await vi.advanceTimersByTimeAsync(15 * minute - 3000);
    expect(readVmids()).toEqual([]);
    configs[100] = { ostype: 'win10' };
    const sent = deltas.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(readVmids().sort()).toEqual([100, 101, 102, 103]);
    expect(osTypeOf('qemu/100')).toBe('win10');
    expect(deltas).toHaveLength(sent + 1);
    expect(deltas.at(-1)?.upserted).toEqual([expect.objectContaining({ id: 'qemu/100', ostype: 'win10' })]);
  });

  it('leaves a guest it may not read (403) or that is gone alone for 15 minutes, forgetting its OS type; other failures are tried again after a minute', async () => {
    answer = [vmItem(100), vmItem(105), vmItem(106)];
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(osTypeOf('qemu/100')).toBe('l26');
    const failures: Record<number, Error> = {
      100: permissionDenied('/vms/100', 'VM.Audit'),
      105: serverError("Configuration file 'nodes/pve1/qemu-server/105.conf' does not exist"),
      106: unreachable(),
    };
    client.getGuestConfig.mockImplementation((_node, vmid) => {
      const failure = failures[vmid];
      return failure !== undefined ? Promise.reject(failure) : Promise.resolve(configs[vmid] ?? {});
    });
    await vi.advanceTimersByTimeAsync(15 * minute);
    expect(osTypeOf('qemu/100')).toBeUndefined();
    client.getGuestConfig.mockClear();
    await vi.advanceTimersByTimeAsync(minute);
    expect(readVmids()).toEqual([106]);
    client.getGuestConfig.mockClear();
    await vi.advanceTimersByTimeAsync(13 * minute);
    expect(readVmids().filter((vmid) => vmid !== 106)).toEqual([]);
    client.getGuestConfig.mockClear();
    await vi.advanceTimersByTimeAsync(minute);
    expect(readVmids().sort()).toEqual([100, 105, 106]);
  });

  it('reads at most 100 guests a poll, the ones asked longest ago first, and never holds up the resources poll', async () => {
    answer = guests(250);
    const pending: (() => void)[] = [];
    client.getGuestConfig.mockImplementation(() => new Promise<GuestConfig>((resolve) => pending.push(() => resolve({ ostype: 'l26' }))));
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    while (pending.length > 0) {
      pending.splice(0).forEach((answerNow) => answerNow());
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(readVmids()).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));

    client.getGuestConfig.mockClear();
    await vi.advanceTimersByTimeAsync(3000);
    expect(readVmids()).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(9000);
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(5);
    expect(readVmids()).toHaveLength(4);
    while (pending.length > 0) {
      pending.splice(0).forEach((answerNow) => answerNow());
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(readVmids()).toEqual(Array.from({ length: 100 }, (_, i) => 1100 + i));

    client.getGuestConfig.mockClear();
    client.getGuestConfig.mockResolvedValue({ ostype: 'l26' });
    await vi.advanceTimersByTimeAsync(3000);
    expect(readVmids()).toEqual(Array.from({ length: 50 }, (_, i) => 1200 + i));
    expect(poller.page(0, 1000).items.filter((item) => item.ostype === 'l26')).toHaveLength(250);
  });

  it('forgets a guest that left the list: back again, it is read at once', async () => {
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    answer = answer.filter((item) => (item as { vmid?: number }).vmid !== 101);
    await vi.advanceTimersByTimeAsync(3000);
    client.getGuestConfig.mockClear();
    answer = [...answer, vmItem(101, { status: 'stopped' })];
    await vi.advanceTimersByTimeAsync(3000);
    expect(readVmids()).toEqual([101]);
    expect(osTypeOf('qemu/101')).toBe('win2k22');
  });
});
