import { flushPromises } from '@vue/test-utils';
import { NTree } from 'naive-ui';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { fakeIpc, mountInApp } from '../../testing';
import { useConnectionsStore } from '../connections';
import { connectionList, profileView } from '../connections/testing';
import { entryKey, useInventoryStore } from './inventory-store';
import ResourceTree from './ResourceTree.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from './testing/inventory-host';
import type { TreeRow } from './tree-groupings';

function rowsOf(rows: TreeRow[]): TreeRow[] {
  return rows.flatMap((row) => [row, ...rowsOf(row.children ?? [])]);
}

describe('ResourceTree', () => {
  it('hands a changed item to its row when nothing moves, so the tree keeps no replaced version alive', async () => {
    fakeIpc.answer('connections.list', () =>
      connectionList([profileView({ id: labProfileId, name: 'Lab', state: { status: 'connected', since: '2025-01-01T00:00:00Z' } })]),
    );
    serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [nodeItem('pve1'), guestItem(100), guestItem(101)] }]);
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { render: () => null } }] });
    const wrapper = await mountInApp(ResourceTree, { pattern: '', grouping: 'nodes' }, [router]);
    // The shell's tree pane starts the profiles' store; the tree shows a cluster per profile.
    await useConnectionsStore().start();
    await flushPromises();
    const tree = wrapper.findComponent(NTree);
    const before = rowsOf(tree.props('data') as TreeRow[]);
    const key = entryKey(labProfileId, 'qemu/100');

    const retagged: InventoryItem = guestItem(100, { tags: ['bench-1'] });
    fakeIpc.emit('inventory.changed', { feed: clusterFeed({ revision: 2 }), baseRevision: 1, upserted: [retagged], removed: [] });
    await flushPromises();

    const after = rowsOf(tree.props('data') as TreeRow[]);
    expect(after).toEqual(before.map((row) => expect.objectContaining({ key: row.key })));
    const row = after.find((candidate) => candidate.entry?.key === key);
    expect(row).toBe(before.find((candidate) => candidate.entry?.key === key));
    expect(row?.entry).toBe(useInventoryStore().entry(labProfileId, 'qemu/100'));
    expect(row?.entry?.item.tags).toEqual(['bench-1']);
  });
});
