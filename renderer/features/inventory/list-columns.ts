import type { InventoryColumnId } from '../../../shared/domain/settings';
import type { InventoryEntry } from './inventory-store';
import { itemState, type ItemState } from './item-state';

export { inventoryColumnIds, type InventoryColumnId } from '../../../shared/domain/settings';

/** What a column sorts by: a number, a text, or nothing (sorted last whatever the direction). */
export type SortValue = number | string | undefined;

/** What some columns need beyond the entry itself. */
export interface ColumnContext {
  /** The name the user gave the entry's cluster. */
  clusterName(profileId: string): string;
}

export interface ColumnDefinition {
  id: InventoryColumnId;
  /** CSS grid track: the room the column takes. */
  width: string;
  /** Figures line up on the right. */
  numeric: boolean;
  sortValue(entry: InventoryEntry, context: ColumnContext): SortValue;
}

/** Sorting by status groups what needs attention first: running, then paused or busy, then stopped and templates. */
const stateRank: Record<ItemState, number> = {
  running: 0,
  paused: 1,
  suspended: 2,
  locked: 3,
  stopped: 4,
  template: 5,
  online: 6,
  offline: 7,
  unknown: 8,
};

/** PVE's `ostype` (l26, win11…): main reads it from each guest's config in the background, so it may come a few polls late. */
export function osType(entry: InventoryEntry): string | undefined {
  return entry.item.ostype;
}

function text(value: string | undefined): SortValue {
  return value === undefined || value === '' ? undefined : value;
}

/** Every column a guest list can show, by id. */
export const columns: { [id in InventoryColumnId]: ColumnDefinition & { id: id } } = {
  name: { id: 'name', width: 'minmax(160px, 2fr)', numeric: false, sortValue: (entry) => text(entry.item.name) },
  vmid: { id: 'vmid', width: '80px', numeric: true, sortValue: (entry) => entry.item.vmid },
  status: { id: 'status', width: 'minmax(170px, 1.2fr)', numeric: false, sortValue: (entry) => stateRank[itemState(entry.item)] },
  node: { id: 'node', width: 'minmax(90px, 1fr)', numeric: false, sortValue: (entry) => text(entry.item.node) },
  cpu: { id: 'cpu', width: '120px', numeric: true, sortValue: (entry) => entry.item.cpu },
  memory: { id: 'memory', width: '200px', numeric: true, sortValue: (entry) => entry.item.mem },
  disk: { id: 'disk', width: '100px', numeric: true, sortValue: (entry) => entry.item.maxdisk },
  uptime: { id: 'uptime', width: '110px', numeric: true, sortValue: (entry) => entry.item.uptime },
  tags: { id: 'tags', width: 'minmax(120px, 1.5fr)', numeric: false, sortValue: (entry) => text(entry.item.tags?.join(' ')) },
  pool: { id: 'pool', width: 'minmax(90px, 1fr)', numeric: false, sortValue: (entry) => text(entry.item.pool) },
  hastate: { id: 'hastate', width: '100px', numeric: false, sortValue: (entry) => text(entry.item.hastate) },
  lock: { id: 'lock', width: '100px', numeric: false, sortValue: (entry) => text(entry.item.lock) },
  ostype: { id: 'ostype', width: '90px', numeric: false, sortValue: (entry) => text(osType(entry)) },
  cluster: { id: 'cluster', width: 'minmax(100px, 1fr)', numeric: false, sortValue: (entry, context) => text(context.clusterName(entry.profileId)) },
};
