import { defineStore } from 'pinia';
import { computed, shallowRef, triggerRef } from 'vue';
import type { ClusterFeed, InventoryDelta, InventoryItem } from '../../../shared/domain/inventory';
import { hasPrivilege, type PermissionMap } from '../../../shared/domain/permissions';
import { IpcError } from '../../../shared/ipc/errors';
import { useIpc } from '../../platform/use-ipc';

/** One item of one cluster, keyed across clusters (`<profileId>:<item id>`): what the tree and the lists show. */
export interface InventoryEntry {
  key: string;
  profileId: string;
  item: InventoryItem;
}

/** What one applied delta changed, for views that keep their own sorted or grouped copies up to date. */
export interface InventoryChange {
  profileId: string;
  upserted: InventoryEntry[];
  /** Keys of entries that are gone. */
  removed: string[];
  /** The cluster's items were replaced wholesale (first load, resync, closed feed). */
  reset: boolean;
}

interface ClusterItems {
  feed: ClusterFeed;
  entries: Map<string, InventoryEntry>;
  /** The revision `entries` reflect; -1 until the first load. */
  revision: number;
  /** Deltas that arrived while the items were being read, applied on top afterwards. */
  pending?: InventoryDelta[];
  permissions?: PermissionMap;
}

const maxResyncAttempts = 3;
/** No key or pointer input for this long: the user is away, main polls slower. */
const idleAfterMs = 5 * 60_000;

export function entryKey(profileId: string, id: string): string {
  return `${profileId}:${id}`;
}

/**
 * Every connected cluster's items, kept as main sends them: one read of all
 * items per cluster, then only deltas. A delta replaces the changed entries'
 * objects and nothing else, so views keyed by entry redraw only what changed.
 */
export const useInventoryStore = defineStore('inventory', () => {
  const ipc = useIpc();
  const clusters = shallowRef(new Map<string, ClusterItems>());
  const listeners = new Set<(change: InventoryChange) => void>();
  let started: Promise<void> | undefined;

  const feeds = computed(() => [...clusters.value.values()].map((cluster) => cluster.feed));

  /** All entries of all clusters (or of one), rebuilt only when something changed. */
  const allEntries = computed(() => [...clusters.value.values()].flatMap((cluster) => [...cluster.entries.values()]));

  function entries(profileId?: string): InventoryEntry[] {
    if (profileId === undefined) return allEntries.value;
    const cluster = clusters.value.get(profileId);
    return cluster === undefined ? [] : [...cluster.entries.values()];
  }

  function entry(profileId: string, id: string): InventoryEntry | undefined {
    return clusters.value.get(profileId)?.entries.get(entryKey(profileId, id));
  }

  function feed(profileId: string): ClusterFeed | undefined {
    return clusters.value.get(profileId)?.feed;
  }

  function notify(change: InventoryChange): void {
    triggerRef(clusters);
    for (const listener of listeners) listener(change);
  }

  function onChange(listener: (change: InventoryChange) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function toEntry(profileId: string, item: InventoryItem): InventoryEntry {
    return { key: entryKey(profileId, item.id), profileId, item };
  }

  function applyDelta(cluster: ClusterItems, delta: InventoryDelta): void {
    const { profileId } = delta.feed;
    const upserted = delta.upserted.map((item) => toEntry(profileId, item));
    for (const added of upserted) cluster.entries.set(added.key, added);
    const removed = delta.removed.map((id) => entryKey(profileId, id));
    for (const key of removed) cluster.entries.delete(key);
    cluster.revision = delta.feed.revision;
    notify({ profileId, upserted, removed, reset: false });
  }

  async function readAll(profileId: string): Promise<{ revision: number; items: InventoryItem[] }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const first = await ipc.call('inventory.items', { profileId });
        const items = [...first.items];
        while (items.length < first.total) {
          const page = await ipc.call('inventory.items', { profileId, offset: items.length, revision: first.revision });
          if (page.items.length === 0) break;
          items.push(...page.items);
        }
        return { revision: first.revision, items };
      } catch (error) {
        // The set changed between pages: read it again from the start.
        if (!(error instanceof IpcError && error.code === 'STALE') || attempt >= maxResyncAttempts) throw error;
      }
    }
  }

  async function resync(cluster: ClusterItems): Promise<void> {
    if (cluster.pending !== undefined) return;
    cluster.pending = [];
    const { profileId } = cluster.feed;
    try {
      const { revision, items } = await readAll(profileId);
      if (clusters.value.get(profileId) !== cluster) return;
      cluster.entries = new Map(items.map((item) => [entryKey(profileId, item.id), toEntry(profileId, item)]));
      cluster.revision = revision;
      notify({ profileId, upserted: [...cluster.entries.values()], removed: [], reset: true });
      const pending = cluster.pending;
      cluster.pending = undefined;
      for (const delta of pending) receive(delta);
    } catch {
      // The feed's own state tells the user the cluster is not answering; the next delta tries again.
      cluster.pending = undefined;
    }
  }

  async function loadPermissions(cluster: ClusterItems): Promise<void> {
    try {
      cluster.permissions = await ipc.call('connections.permissions', { id: cluster.feed.profileId });
      triggerRef(clusters);
    } catch {
      // Without the map every action stays enabled and the server refuses what it must; loaded again on reconnect.
      cluster.permissions = undefined;
    }
  }

  function clusterFor(feed: ClusterFeed): ClusterItems {
    let cluster = clusters.value.get(feed.profileId);
    if (cluster === undefined) {
      cluster = { feed, entries: new Map(), revision: -1 };
      clusters.value.set(feed.profileId, cluster);
      void loadPermissions(cluster);
    } else {
      const reconnected = cluster.feed.state === 'unreachable' && feed.state === 'live';
      if (cluster.feed.userid !== feed.userid || reconnected) void loadPermissions(cluster);
      cluster.feed = feed;
    }
    return cluster;
  }

  function receive(delta: InventoryDelta): void {
    const cluster = clusterFor(delta.feed);
    if (cluster.pending !== undefined) {
      cluster.pending.push(delta);
      return;
    }
    if (delta.feed.revision <= cluster.revision) {
      triggerRef(clusters); // only the freshness changed, or a delta the last read already holds
      return;
    }
    if (delta.resync === true || delta.baseRevision !== cluster.revision) {
      triggerRef(clusters);
      void resync(cluster);
      return;
    }
    applyDelta(cluster, delta);
  }

  function close(profileId: string): void {
    const cluster = clusters.value.get(profileId);
    if (cluster === undefined) return;
    clusters.value.delete(profileId);
    notify({ profileId, upserted: [], removed: [...cluster.entries.keys()], reset: true });
  }

  /** Whether the signed-in user of a cluster holds `privilege` on `path`; true while the map is unknown (the server decides). */
  function can(profileId: string, path: string, privilege: string): boolean {
    const permissions = clusters.value.get(profileId)?.permissions;
    return permissions === undefined || hasPrivilege(permissions, path, privilege);
  }

  function reportActivity(): void {
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let idle = false;
    const send = (): void => {
      ipc.call('inventory.activity', { visible: document.visibilityState === 'visible', idle }).catch(() => undefined);
    };
    const active = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        send();
      }, idleAfterMs);
      if (idle) {
        idle = false;
        send();
      }
    };
    document.addEventListener('visibilitychange', send);
    for (const event of ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const) window.addEventListener(event, active, { passive: true });
    active();
    send();
  }

  /** Subscribes, reads every cluster once and reports the window's activity; whichever component asks first. */
  function start(): Promise<void> {
    started ??= (async () => {
      ipc.on('inventory.changed', receive);
      ipc.on('inventory.closed', ({ profileId }) => close(profileId));
      reportActivity();
      const list = await ipc.call('inventory.feeds', {});
      await Promise.all(list.map((feed) => resync(clusterFor(feed))));
      triggerRef(clusters);
    })();
    return started;
  }

  return { feeds, entries, entry, feed, can, onChange, start };
});
