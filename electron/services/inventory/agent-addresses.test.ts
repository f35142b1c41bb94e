import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryDelta } from '../../../shared/domain/inventory';
import type { AgentInterface } from '../pve';
import type { ClusterPoller } from './cluster-poller';
import { fakeInventoryClient, permissionDenied, serverError, startedPoller, unreachable, vmItem, type FakeInventoryClient } from './testing';

function nic(mac: string, ...addresses: string[]): AgentInterface {
  return { name: 'eth0', mac, addresses };
}

describe('guest agent addresses', () => {
  let client: FakeInventoryClient;
  let deltas: InventoryDelta[];
  let poller: ClusterPoller;
  let answer: unknown[];

  function startPoller(maxPerRound = 50): void {
    poller = startedPoller(client, (d) => deltas.push(d), { agentTuning: { maxPerRound } });
  }

  const ipsOf = (id: string): string[] | undefined => poller.page(0, 1000).items.find((item) => item.id === id)?.ips;
  const askedVmids = (): number[] => client.getAgentInterfaces.mock.calls.map(([, vmid]) => vmid);

  beforeEach(() => {
    vi.useFakeTimers();
    client = fakeInventoryClient();
    answer = [
      vmItem(100),
      vmItem(101),
      vmItem(102, { status: 'stopped' }),
      vmItem(103, { template: 1 }),
      { id: 'lxc/104', type: 'lxc', vmid: 104, status: 'running' },
    ];
    client.getClusterResourceList.mockImplementation(() => Promise.resolve(answer));
    deltas = [];
  });

  afterEach(() => {
    poller.close();
    vi.useRealTimers();
  });

  it('asks running QEMU guests only, keeps their usable addresses in the items and sends the change as a delta', async () => {
    client.getAgentInterfaces.mockImplementation((_node, vmid) =>
      Promise.resolve(
        vmid === 100
          ? [
              { name: 'lo', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1', '::1'] },
              nic('bc:24:11:00:00:01', '192.0.2.10', 'fe80::1', '2001:db8::10', '169.254.3.4', 'not-an-ip'),
            ]
          : [],
      ),
    );
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(askedVmids().sort()).toEqual([100, 101]);
    expect(ipsOf('qemu/100')).toEqual(['192.0.2.10', '2001:db8::10']);
    expect(ipsOf('qemu/101')).toBeUndefined();
    expect(deltas).toHaveLength(2);
    expect(deltas[1]).toMatchObject({ baseRevision: 1, feed: { revision: 2 }, removed: [] });
    expect(deltas[1]?.upserted).toEqual([expect.objectContaining({ id: 'qemu/100', ips: ['192.0.2.10', '2001:db8::10'] })]);
  });

  it('asks again only after 60 s, and drops the addresses of a guest that stopped', async () => {
    client.getAgentInterfaces.mockResolvedValue([nic('bc:24:11:00:00:01', '192.0.2.10')]);
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(57_000);
    expect(client.getAgentInterfaces).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.getAgentInterfaces).toHaveBeenCalledTimes(4);
    answer = [vmItem(100, { status: 'stopped' }), vmItem(101)];
    await vi.advanceTimersByTimeAsync(3000);
    expect(ipsOf('qemu/100')).toBeUndefined();
    expect(ipsOf('qemu/101')).toEqual(['192.0.2.10']);
  });

  it('leaves a guest alone for 10 minutes when PVE says no agent is configured or running, or refuses (403); other failures are asked again', async () => {
    const failures: Record<number, Error> = {
      100: serverError('No QEMU guest agent configured'),
      101: serverError('QEMU guest agent is not running'),
      105: permissionDenied('/vms/105', 'VM.GuestAgent.Audit'),
      106: unreachable(),
    };
    answer = [vmItem(100), vmItem(101), vmItem(105), vmItem(106)];
    client.getAgentInterfaces.mockImplementation((_node, vmid) => Promise.reject(failures[vmid] ?? new Error('unexpected')));
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(askedVmids().sort()).toEqual([100, 101, 105, 106]);
    client.getAgentInterfaces.mockClear();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(askedVmids()).toEqual([106]);
    client.getAgentInterfaces.mockClear();
    await vi.advanceTimersByTimeAsync(8 * 60_000);
    expect(new Set(askedVmids())).toEqual(new Set([106]));
    client.getAgentInterfaces.mockClear();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(askedVmids().sort()).toEqual([100, 101, 105, 106]);
  });

  it('asks at most a round of guests at a time, the ones asked longest ago first, and never holds up the resources poll', async () => {
    answer = Array.from({ length: 5 }, (_, i) => vmItem(100 + i));
    client.getAgentInterfaces.mockImplementation(() => new Promise(() => undefined));
    startPoller(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(askedVmids()).toEqual([100, 101, 102]);
    await vi.advanceTimersByTimeAsync(9000);
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(4);
    expect(askedVmids()).toHaveLength(3);
  });

  it('asks the guests asked longest ago first, so a cluster with more guests than a round covers them all', async () => {
    answer = Array.from({ length: 5 }, (_, i) => vmItem(100 + i));
    client.getAgentInterfaces.mockResolvedValue([]);
    startPoller(3);
    await vi.advanceTimersByTimeAsync(0);
    client.getAgentInterfaces.mockClear();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(askedVmids()).toEqual([103, 104, 100]);
  });

  it('runs at most 4 calls at once', async () => {
    answer = Array.from({ length: 10 }, (_, i) => vmItem(100 + i));
    const pending: (() => void)[] = [];
    client.getAgentInterfaces.mockImplementation(() => new Promise<AgentInterface[]>((resolve) => pending.push(() => resolve([]))));
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(pending).toHaveLength(4);
    pending.splice(0, 2).forEach((answerNow) => answerNow());
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getAgentInterfaces).toHaveBeenCalledTimes(6);
  });
});
