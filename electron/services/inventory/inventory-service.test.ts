import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcEvents } from '../../../shared/ipc/contract';
import type { ConnectedCluster } from '../sessions';
import { InventoryService } from './inventory-service';
import type { InventorySessions } from './inventory-sessions';
import { fakeInventoryClient, recordingLogger, serverError, vmItem, type FakeInventoryClient } from './testing';

const profileId = '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10';

/** A session registry with one profile whose session a test opens, lets fail and ends. */
function fakeSessions(client: FakeInventoryClient) {
  let listener: () => Promise<void> = () => Promise.resolve();
  let session: { client: { session: unknown } } | undefined;
  let connected: ConnectedCluster[] = [];
  const sessions: InventorySessions = {
    connected: () => Promise.resolve(connected),
    live: () => session,
    client: () => client,
    onChange: (added) => {
      listener = added;
      return () => undefined;
    },
  };
  return {
    sessions,
    open: () => {
      session = { client: { session: { userid: 'root@pam' } } };
      connected = [{ profileId, name: 'lab', userid: 'root@pam' }];
      return listener();
    },
    /** The heartbeat found the cluster offline: no longer `connected`, the session still open. */
    offline: () => {
      connected = [];
      return listener();
    },
    end: () => {
      session = undefined;
      connected = [];
      return listener();
    },
    /** A deleted or edited profile: the registry ends the session without telling its listeners. */
    endQuietly: () => {
      session = undefined;
      connected = [];
    },
  };
}

describe('InventoryService', () => {
  let client: FakeInventoryClient;
  let registry: ReturnType<typeof fakeSessions>;
  let service: InventoryService;
  let events: { event: keyof IpcEvents; payload: unknown }[];

  beforeEach(() => {
    vi.useFakeTimers();
    client = fakeInventoryClient();
    client.getAgentInterfaces.mockRejectedValue(serverError('No QEMU guest agent configured'));
    client.getClusterResourceList.mockResolvedValue([vmItem(100), vmItem(101)]);
    registry = fakeSessions(client);
    events = [];
    service = new InventoryService({
      sessions: registry.sessions,
      jobs: { start: vi.fn(), followTask: vi.fn() },
      events: { emit: (event, payload) => events.push({ event, payload }) },
      logger: recordingLogger(),
    });
  });

  afterEach(() => {
    service.close();
    vi.useRealTimers();
  });

  it('feeds a cluster from the moment its session connects, keeps it while it does not answer, and closes it when the session ends', async () => {
    expect(service.list()).toEqual([]);
    await registry.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(service.list()).toEqual([expect.objectContaining({ profileId, name: 'lab', state: 'live', count: 2 })]);
    expect(service.items(profileId, 1, 10)).toMatchObject({ revision: 1, total: 2, items: [{ id: 'qemu/101' }] });
    expect(events.map(({ event }) => event)).toEqual(['inventory.changed']);

    await registry.offline();
    client.getClusterResourceList.mockRejectedValue(serverError('proxy loop detected'));
    await vi.advanceTimersByTimeAsync(3000);
    expect(service.list()).toEqual([expect.objectContaining({ state: 'stale', count: 2 })]);

    await registry.end();
    expect(service.list()).toEqual([]);
    expect(events.at(-1)).toEqual({ event: 'inventory.closed', payload: { profileId } });
    expect(() => service.items(profileId, 0, 10)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    const calls = client.getClusterResourceList.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(calls);
  });

  it('closes the feed at its next poll when the session ended without a word to the listeners', async () => {
    await registry.open();
    await vi.advanceTimersByTimeAsync(0);
    registry.endQuietly();
    const calls = client.getClusterResourceList.mock.calls.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(service.list()).toEqual([]);
    expect(events.at(-1)).toEqual({ event: 'inventory.closed', payload: { profileId } });
    expect(client.getClusterResourceList).toHaveBeenCalledTimes(calls);
  });

  it('starts a new feed for a new session of the same profile', async () => {
    await registry.open();
    await vi.advanceTimersByTimeAsync(0);
    await registry.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map(({ event }) => event)).toEqual(['inventory.changed', 'inventory.closed', 'inventory.changed']);
    expect(service.list()).toHaveLength(1);
  });

  it('polls every 3 s while shown, every 15 s hidden, every 30 s idle, and answers the interval in force', async () => {
    await registry.open();
    await vi.advanceTimersByTimeAsync(0);
    const pollsDuring = async (ms: number): Promise<number> => {
      const before = client.getClusterResourceList.mock.calls.length;
      await vi.advanceTimersByTimeAsync(ms);
      return client.getClusterResourceList.mock.calls.length - before;
    };
    expect(await pollsDuring(30_000)).toBe(10);
    expect(service.setActivity(false, false)).toEqual({ pollMs: 15_000 });
    expect(await pollsDuring(30_000)).toBe(2);
    expect(service.setActivity(true, true)).toEqual({ pollMs: 30_000 });
    expect(await pollsDuring(60_000)).toBe(2);
    expect(service.setActivity(true, false)).toEqual({ pollMs: 3000 });
    expect(await pollsDuring(3000)).toBe(1);
  });
});
