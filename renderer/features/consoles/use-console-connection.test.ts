import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import type { InventoryItem } from '../../../shared/domain/inventory';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { IpcError } from '../../../shared/ipc/errors';
import { fakeIpc, mountInApp } from '../../testing';
import { clusterFeed, guestItem, labProfileId, serveInventory } from '../inventory/testing';
import { consoleSession } from './testing';
import { reconnectDelayMs, useConsoleConnection, type ConsoleConnection } from './use-console-connection';

let connection: ConsoleConnection;
const vncTarget: ConsoleTarget = { kind: 'vnc', profileId: labProfileId, node: 'pve1', vmid: 100 };

const Harness = defineComponent({
  props: { target: { type: Object as () => ConsoleTarget, required: true } },
  setup(props) {
    connection = useConsoleConnection(() => props.target);
    return () => h('div');
  },
});

async function mountWith(items: InventoryItem[], target: ConsoleTarget = vncTarget): Promise<void> {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items }]);
  await mountInApp(Harness, { target });
  await flushPromises();
}

/** What the inventory would push when the guest's item changes (a start, a migration). */
function inventoryChange(revision: number, item: InventoryItem): void {
  fakeIpc.emit('inventory.changed', { feed: clusterFeed({ revision }), baseRevision: revision - 1, upserted: [item], removed: [] });
}

const opened = () => fakeIpc.callsOf('consoles.open');

beforeEach(() => {
  fakeIpc.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useConsoleConnection', () => {
  it('opens the console, hands the session over and is connected once the viewer says so', async () => {
    await mountWith([guestItem(100)]);
    fakeIpc.answer('consoles.open', () => consoleSession());
    connection.connect();
    expect(connection.state.value).toBe('connecting');
    await flushPromises();
    expect(opened()).toEqual([vncTarget]);
    expect(connection.session.value?.url).toBe(consoleSession().url);
    connection.viewerConnected();
    expect(connection.state.value).toBe('connected');
    expect(connection.failure.value).toBeUndefined();
  });

  it.each([
    ['PERMISSION_DENIED', 'permission'],
    ['TLS_MISMATCH', 'certificate'],
    ['UNREACHABLE', 'unreachable'],
    ['AUTH_FAILED', 'auth-failed'],
    ['NOT_RUNNING', 'not-running'],
  ] as const)('says %s from consoles.open as the %s failure', async (code, kind) => {
    await mountWith([guestItem(100)]);
    fakeIpc.answer('consoles.open', () => {
      throw new IpcError(code, 'refused');
    });
    connection.connect();
    await flushPromises();
    expect(connection.state.value).toBe('failed');
    expect(connection.failure.value?.kind).toBe(kind);
  });

  it('starts a stopped guest through inventory.power and connects once the inventory shows it running', async () => {
    await mountWith([guestItem(100, { status: 'stopped' })]);
    let running = false;
    fakeIpc.answer('consoles.open', () => {
      if (!running) throw new IpcError('NOT_RUNNING', 'guest 100 is not running');
      return consoleSession();
    });
    fakeIpc.answer('inventory.power', () => []);
    connection.connect();
    await flushPromises();
    expect(connection.failure.value?.kind).toBe('not-running');

    await connection.startGuest();
    await flushPromises();
    expect(fakeIpc.callsOf('inventory.power')).toEqual([{ action: 'start', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] }]);
    expect(connection.startingGuest.value).toBe(true);
    expect(opened()).toHaveLength(1); // not asked again while the guest is still stopped

    running = true;
    inventoryChange(2, guestItem(100, { status: 'running' }));
    await flushPromises();
    expect(opened()).toHaveLength(2);
    expect(connection.startingGuest.value).toBe(false);
    expect(connection.session.value).not.toBeNull();
    expect(connection.state.value).toBe('connecting');
  });

  it('reconnects after a drop waiting 1 s, 2 s, 4 s… up to 30 s, and is connected again once the viewer is', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mountWith([guestItem(100)]);
    fakeIpc.answer('consoles.open', () => consoleSession());
    connection.connect();
    await flushPromises();
    connection.viewerConnected();

    const waits = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    for (const [index, wait] of waits.entries()) {
      connection.viewerDisconnected({ kind: 'dropped' });
      expect(connection.state.value).toBe('reconnecting');
      expect(connection.attempt.value).toBe(index + 1);
      const before = opened().length;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(opened()).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(opened()).toHaveLength(before + 1);
    }
    connection.viewerConnected();
    expect(connection.state.value).toBe('connected');
    expect(connection.attempt.value).toBe(0);
    expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7].map(reconnectDelayMs));
  });

  it('keeps trying through unreachable upstreams and server errors during a reconnect, and stops on a refusal only the user can fix', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mountWith([guestItem(100)]);
    let answer: () => ReturnType<typeof consoleSession> = () => consoleSession();
    fakeIpc.answer('consoles.open', () => answer());
    connection.connect();
    await flushPromises();
    connection.viewerConnected();
    connection.viewerDisconnected({ kind: 'dropped' });

    answer = () => {
      throw new IpcError('UNREACHABLE', 'node does not answer');
    };
    await vi.advanceTimersByTimeAsync(1000);
    expect(connection.state.value).toBe('reconnecting');
    expect(connection.attempt.value).toBe(2);

    answer = () => {
      throw new IpcError('SERVER_ERROR', 'connection closed without an answer');
    };
    await vi.advanceTimersByTimeAsync(2000);
    expect(connection.state.value).toBe('reconnecting');
    expect(connection.attempt.value).toBe(3);

    answer = () => {
      throw new IpcError('PERMISSION_DENIED', 'no VM.Console');
    };
    await vi.advanceTimersByTimeAsync(4000);
    expect(connection.state.value).toBe('failed');
    expect(connection.failure.value?.kind).toBe('permission');
  });

  it('stops reconnecting when cancelled, and reconnect now does not wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mountWith([guestItem(100)]);
    fakeIpc.answer('consoles.open', () => consoleSession());
    connection.connect();
    await flushPromises();
    connection.viewerConnected();

    connection.viewerDisconnected({ kind: 'dropped' });
    connection.cancelReconnect();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(opened()).toHaveLength(1);
    expect(connection.state.value).toBe('failed');
    expect(connection.failure.value?.kind).toBe('dropped');

    connection.reconnectNow();
    await flushPromises();
    expect(opened()).toHaveLength(2);
    expect(connection.state.value).toBe('connecting');

    connection.viewerDisconnected({ kind: 'dropped' });
    connection.reconnectNow();
    await flushPromises();
    expect(opened()).toHaveLength(3);
    expect(connection.state.value).toBe('reconnecting');
  });

  it('follows a guest that migrated: after the drop it asks the node the inventory now shows', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mountWith([guestItem(100)]);
    fakeIpc.answer('consoles.open', (target) => consoleSession({ node: target.node }));
    connection.connect();
    await flushPromises();
    connection.viewerConnected();

    inventoryChange(2, guestItem(100, { node: 'pve2' }));
    await flushPromises();
    connection.viewerDisconnected({ kind: 'dropped' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(opened().map((target) => target.node)).toEqual(['pve1', 'pve2']);
    expect(connection.session.value?.node).toBe('pve2');
  });

  it('asks for a node shell as it was opened, whatever the inventory holds', async () => {
    const shell: ConsoleTarget = { kind: 'shell', profileId: labProfileId, node: 'pve2', via: 'ssh' };
    await mountWith([guestItem(100)], shell);
    fakeIpc.answer('consoles.open', () => consoleSession({ kind: 'shell', node: 'pve2' }));
    connection.connect();
    await flushPromises();
    expect(opened()).toEqual([shell]);
  });
});
