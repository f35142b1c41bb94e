import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { shownText, useInventoryStore } from '../inventory';

export type InventoryStore = ReturnType<typeof useInventoryStore>;

/** A node a guest may be created on or moved to, with the memory it has left (bytes) when the inventory knows it. */
export interface NodeChoice {
  node: string;
  online: boolean;
  freeMemory?: number;
}

/**
 * What the operations dialogs pick from the inventory: the connected clusters, a cluster's nodes with their free
 * memory and its pools. Read from the inventory's store, so the lists follow its updates.
 */
export function useInventoryLookups(profileId: MaybeRefOrGetter<string | undefined>) {
  const inventory = useInventoryStore();
  void inventory.start();

  const clusters = computed(() => inventory.feeds.map((feed) => ({ profileId: feed.profileId, name: shownText(feed.name, 80) })));
  const entries = computed(() => {
    const id = toValue(profileId);
    return id === undefined ? [] : inventory.entries(id);
  });
  const nodes = computed<NodeChoice[]>(() =>
    entries.value
      .filter(({ item }) => item.type === 'node' && typeof item.node === 'string')
      .map(({ item }) => ({
        node: item.node ?? '',
        online: item.status === 'online',
        ...(item.maxmem === undefined ? {} : { freeMemory: Math.max(0, item.maxmem - (item.mem ?? 0)) }),
      }))
      .sort((a, b) => a.node.localeCompare(b.node)),
  );
  const pools = computed(() =>
    entries.value
      .filter(({ item }) => item.type === 'pool' && typeof item.pool === 'string')
      .map(({ item }) => item.pool ?? '')
      .sort(),
  );

  return { inventory, clusters, nodes, pools };
}
