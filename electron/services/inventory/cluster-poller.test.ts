import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryDelta } from '../../../shared/domain/inventory';
import type { ClusterStatus } from '../pve';
import type { ClusterPoller } from './cluster-poller';
import {
  fakeInventoryClient,
  permissionDenied,
  recordingLogger,
  serverError,
  startedPoller,
  testCluster,
  unreachable,
  vmItem,
  type FakeInventoryClient,
} from './testing';

const { profileId } = testCluster;

describe('ClusterPoller', () => {
  let client: FakeInventoryClient;
  let deltas: InventoryDelta[];
  let logger: ReturnType<typeof recordingLogger>;
  let poller: ClusterPoller;
  let answer: unknown[];

  function startPoller(intervalMs = 3000): void {
    poller = startedPoller(client, (d) => deltas.push(d), { cluster: { ...testCluster, userid: 'root@pam' }, intervalMs: () => intervalMs, logger });
  }

  const last = (): InventoryDelta => {
    const delta = deltas.at(-1);
    if (delta === undefined) throw new Error('no delta was sent');
    return delta;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    client = fakeInventoryClient();
    client.getAgentInterfaces.mockRejectedValue(serverError('No QEMU guest agent configured'));
    answer = [vmItem(100), vmItem(101, { status: 'stopped' })];
    client.getClusterResourceList.mockImplementation(() => Promise.resolve(answer));
    deltas = [];
    logger = recordingLogger();
  });

  afterEach(() => {
    poller.close();
    vi.useRealTimers();
  });

  it('loads the items as revision 1, then sends only what changed, and nothing when nothing did', async () => {
    startPoller();
    expect(poller.feed()).toMatchObject({ state: 'loading', revision: 0, count: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(deltas).toHaveLength(1);
    expect(last()).toMatchObject({ baseRevision: 0, removed: [], feed: { state: 'live', revision: 1, count: 2, skipped: 0, userid: 'root@pam' } });
    expect(last().upserted.map((item) => item.id)).toEqual(['qemu/100', 'qemu/101']);

    await vi.advanceTimersByTimeAsync(3000);
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(2);
    expect(deltas).toHaveLength(1);

    answer = [vmItem(100), vmItem(101, { status: 'running' }), vmItem(102)];
    await vi.advanceTimersByTimeAsync(3000);
    expect(last()).toMatchObject({ baseRevision: 1, feed: { revision: 2, count: 3 }, removed: [] });
    expect(last().upserted.map((item) => `${item.id}:${item.status}`)).toEqual(['qemu/101:running', 'qemu/102:running']);

    answer = [vmItem(102)];
    await vi.advanceTimersByTimeAsync(3000);
    expect(last()).toMatchObject({ baseRevision: 2, upserted: [], removed: ['qemu/100', 'qemu/101'], feed: { revision: 3, count: 1 } });
  });

  it('announces a resync with empty lists when more than 500 items changed', async () => {
    answer = Array.from({ length: 501 }, (_, i) => vmItem(100 + i, { status: 'stopped' }));
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(last()).toEqual({ feed: expect.objectContaining({ revision: 1, count: 501 }) as unknown, baseRevision: 0, upserted: [], removed: [], resync: true });
    expect(poller.page(500, 10, 1).items.map((item) => item.vmid)).toEqual([600]);
  });

  it('goes stale after one failure and unreachable after three, keeping its items, retrying at 3, 6, 12, 24 then 30 s, and recovers by itself', async () => {
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    const lastSeenAt = poller.feed().lastSeenAt;
    client.getClusterResourceList.mockRejectedValue(unreachable());

    await vi.advanceTimersByTimeAsync(3000);
    expect(last().feed).toMatchObject({ state: 'stale', revision: 1, count: 2, lastSeenAt, error: unreachable().message });
    // The client's error had no French: the feed has none to offer either.
    expect(last().feed).not.toHaveProperty('errorTranslations');
    expect(last().upserted).toEqual([]);

    const callsAt: number[] = [];
    client.getClusterResourceList.mockImplementation(() => {
      callsAt.push(Date.now());
      return Promise.reject(unreachable());
    });
    const failedAt = Date.now();
    await vi.advanceTimersByTimeAsync(3000 + 6000);
    expect(poller.feed()).toMatchObject({ state: 'unreachable', count: 2, lastSeenAt });
    expect(last().feed.state).toBe('unreachable');
    await vi.advanceTimersByTimeAsync(12_000 + 24_000 + 30_000 + 30_000);
    expect(callsAt.map((at) => at - failedAt)).toEqual([3000, 9000, 21_000, 45_000, 75_000, 105_000]);
    expect(poller.page(0, 10).items).toHaveLength(2);

    const sent = deltas.length;
    client.getClusterResourceList.mockImplementation(() => Promise.resolve(answer));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(deltas).toHaveLength(sent + 1);
    expect(last()).toMatchObject({ baseRevision: 1, upserted: [], removed: [], feed: { state: 'live', revision: 1 } });
    expect(last().feed.error).toBeUndefined();
    expect(last().feed.lastSeenAt).not.toBe(lastSeenAt);
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(1 + 1 + callsAt.length + 2);
  });

  it('never polls one cluster twice at once, and calls a poll late by two intervals stale', async () => {
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    let answerNow: (items: unknown[]) => void = () => undefined;
    client.getClusterResourceList.mockImplementation(() => new Promise((resolve) => (answerNow = resolve)));
    await vi.advanceTimersByTimeAsync(3000);
    await vi.advanceTimersByTimeAsync(5900);
    expect(poller.feed().state).toBe('live');
    await vi.advanceTimersByTimeAsync(100);
    expect(last().feed).toMatchObject({ state: 'stale', error: expect.stringContaining('has not answered for 6 seconds') as unknown });
    expect(last().feed.errorTranslations?.fr).toMatch(/^Le cluster ne répond plus depuis 6 secondes ;/);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(2);
    answerNow(answer);
    await vi.advanceTimersByTimeAsync(0);
    expect(last().feed.state).toBe('live');
  });

  it('skips malformed items, counts them in the feed and logs each id once for the session, without values', async () => {
    answer = [vmItem(100), { ...vmItem(101), mem: 'secret-value' }, { id: 'qemu/102', type: 7 }];
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(3000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(poller.feed()).toMatchObject({ count: 1, skipped: 2 });
    const skips = logger.lines.filter((line) => line.event === 'inventory.item-skipped');
    expect(skips.map((line) => line.fields)).toEqual([
      { profile: profileId, id: 'qemu/101', fields: ['mem'] },
      { profile: profileId, id: 'qemu/102', fields: ['type'] },
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('secret-value');

    answer = [vmItem(100)];
    await vi.advanceTimersByTimeAsync(3000);
    expect(last().feed).toMatchObject({ skipped: 0, revision: 1 });
  });

  it('reads quorate every fifth poll, and leaves it out without an error when the user may not read /cluster/status', async () => {
    const status: ClusterStatus = { cluster: { name: 'lab', quorate: false }, nodes: [] };
    client.getClusterStatus.mockResolvedValue(status);
    startPoller();
    await vi.advanceTimersByTimeAsync(0);
    expect(poller.feed().quorate).toBe(false);
    client.getClusterStatus.mockRejectedValue(permissionDenied('/', 'Sys.Audit'));
    await vi.advanceTimersByTimeAsync(4 * 3000);
    expect(client.getClusterStatus).toHaveBeenCalledTimes(1);
    expect(poller.feed().quorate).toBe(false);
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.getClusterStatus).toHaveBeenCalledTimes(2);
    expect(poller.feed()).toMatchObject({ state: 'live' });
    expect(poller.feed().quorate).toBeUndefined();
    expect(poller.feed().error).toBeUndefined();
    expect(last().feed.quorate).toBeUndefined();
  });
});
