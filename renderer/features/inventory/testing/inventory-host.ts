import { flushPromises } from '@vue/test-utils';
import { resizeObserverManager } from 'vueuc';
import type { ClusterFeed, InventoryItem } from '../../../../shared/domain/inventory';
import type { PermissionMap } from '../../../../shared/domain/permissions';
import type { FakeIpc } from '../../../testing';

/** One cluster as main's inventory service would hand it over: its feed, its items and the user's permission map (none: every action allowed). */
export interface FakeCluster {
  feed: ClusterFeed;
  items: InventoryItem[];
  permissions?: PermissionMap;
}

export const labProfileId = '11111111-1111-4111-8111-111111111111';

export function clusterFeed(overrides: Partial<ClusterFeed> = {}): ClusterFeed {
  return { profileId: labProfileId, name: 'Lab', state: 'live', lastSeenAt: '2026-01-01T10:00:00Z', revision: 1, count: 0, skipped: 0, ...overrides };
}

/** A running VM on pve1; tests override what they look at. */
export function guestItem(vmid: number, overrides: Partial<InventoryItem> = {}): InventoryItem {
  return { id: `qemu/${vmid}`, type: 'qemu', vmid, node: 'pve1', name: `vm-${vmid}`, status: 'running', ...overrides };
}

export function nodeItem(node: string, overrides: Partial<InventoryItem> = {}): InventoryItem {
  return { id: `node/${node}`, type: 'node', node, status: 'online', ...overrides };
}

/** Answers inventory.feeds / items / activity and connections.permissions for these clusters, as the store reads them. */
export function serveInventory(fake: FakeIpc, clusters: FakeCluster[]): void {
  fake.answer('inventory.feeds', () => clusters.map(({ feed, items }) => ({ ...feed, count: items.length })));
  fake.answer('inventory.items', ({ profileId }) => {
    const cluster = clusters.find(({ feed }) => feed.profileId === profileId);
    return { revision: cluster?.feed.revision ?? 0, total: cluster?.items.length ?? 0, items: cluster?.items ?? [] };
  });
  fake.answer('inventory.activity', () => ({ pollMs: 3000 }));
  fake.answer(
    'connections.permissions',
    ({ id }) => clusters.find(({ feed }) => feed.profileId === id)?.permissions ?? { '/': { 'VM.Audit': 1, 'VM.PowerMgmt': 1 } },
  );
}

/**
 * happy-dom lays nothing out, so Naive's virtual lists measure a height of 0
 * and draw no row. This tells them (through vueuc's shared ResizeObserver,
 * as a browser would) that each list is `height` pixels tall.
 */
export async function layOutVirtualLists(height = 2000): Promise<void> {
  const lists = [...document.querySelectorAll('.v-vl')];
  resizeObserverManager.handleResize(lists.map((target) => ({ target, contentRect: { height, width: 300 } }) as unknown as ResizeObserverEntry));
  await flushPromises();
}
