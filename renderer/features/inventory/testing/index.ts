// The inventory's test helpers other features' tests may use: a fake inventory host and its items.
export { clusterFeed, guestItem, labProfileId, layOutVirtualLists, nodeItem, serveInventory, type FakeCluster } from './inventory-host';
