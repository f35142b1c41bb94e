import type { InventoryItem, InventoryPage } from '../../../shared/domain/inventory';
import { IpcError } from '../../../shared/ipc/errors';
import { sameItem } from './resource-items';

/** What one new answer changed; `undefined` from `apply` when nothing did. */
export interface ItemChange {
  baseRevision: number;
  revision: number;
  upserted: InventoryItem[];
  removed: string[];
}

/**
 * A cluster's items at their current revision, keyed by id. Each revision
 * keeps one frozen array, so the pages of one revision are slices of the same
 * list whatever happens between two reads.
 */
export class ItemRevisions {
  private items = new Map<string, InventoryItem>();
  private list: readonly InventoryItem[] = Object.freeze([]);
  private current = 0;

  get revision(): number {
    return this.current;
  }

  get count(): number {
    return this.list.length;
  }

  /** Replaces the items with `next` (in the cluster's order) and says what changed, if anything did. */
  apply(next: readonly InventoryItem[]): ItemChange | undefined {
    const merged = new Map<string, InventoryItem>();
    const upserted: InventoryItem[] = [];
    for (const item of next) {
      if (merged.has(item.id)) continue;
      const previous = this.items.get(item.id);
      // An unchanged item keeps its object: what a page holds and what the renderer holds stay the same value.
      if (previous !== undefined && sameItem(previous, item)) {
        merged.set(item.id, previous);
      } else {
        const frozen = Object.freeze({ ...item });
        merged.set(item.id, frozen);
        upserted.push(frozen);
      }
    }
    const removed = [...this.items.keys()].filter((id) => !merged.has(id));
    if (upserted.length === 0 && removed.length === 0) return undefined;
    const baseRevision = this.current;
    this.current += 1;
    this.items = merged;
    this.list = Object.freeze([...merged.values()]);
    return { baseRevision, revision: this.current, upserted, removed };
  }

  /** A page of the current revision; STALE when the caller reads an older one. */
  page(offset: number, limit: number, revision?: number): InventoryPage {
    if (revision !== undefined && revision !== this.current) {
      throw new IpcError('STALE', {
        en: `The inventory changed while it was being read (revision ${revision}, now ${this.current}). Read it again from the start.`,
        fr: `L’inventaire a changé pendant sa lecture (révision ${revision}, maintenant ${this.current}). Relisez-le depuis le début.`,
      });
    }
    return { revision: this.current, total: this.list.length, items: this.list.slice(offset, offset + limit) };
  }
}
