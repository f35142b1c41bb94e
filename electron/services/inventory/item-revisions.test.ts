import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { IpcError } from '../../../shared/ipc/errors';
import { ItemRevisions } from './item-revisions';

const vm = (vmid: number, status = 'running'): InventoryItem => ({ id: `qemu/${vmid}`, type: 'qemu', vmid, status });

function staleError(run: () => unknown): IpcError | undefined {
  try {
    run();
  } catch (error) {
    return error as IpcError;
  }
  return undefined;
}

describe('ItemRevisions', () => {
  it('starts empty at revision 0 and moves to 1 with the first items, all upserted', () => {
    const revisions = new ItemRevisions();
    expect(revisions.page(0, 10)).toEqual({ revision: 0, total: 0, items: [] });
    const change = revisions.apply([vm(100), vm(101)]);
    expect(change).toEqual({ baseRevision: 0, revision: 1, upserted: [vm(100), vm(101)], removed: [] });
    expect(revisions.count).toBe(2);
  });

  it('sends only the items that changed and the ids that are gone, and nothing when nothing changed', () => {
    const revisions = new ItemRevisions();
    revisions.apply([vm(100), vm(101), vm(102)]);
    expect(revisions.apply([vm(100), vm(101), vm(102)])).toBeUndefined();
    expect(revisions.revision).toBe(1);
    const change = revisions.apply([vm(100), vm(101, 'stopped'), vm(103)]);
    expect(change).toEqual({ baseRevision: 1, revision: 2, upserted: [vm(101, 'stopped'), vm(103)], removed: ['qemu/102'] });
  });

  it('keeps the object of an unchanged item and freezes what it hands out', () => {
    const revisions = new ItemRevisions();
    revisions.apply([vm(100), vm(101)]);
    const before = revisions.page(0, 10).items[0];
    revisions.apply([vm(100), vm(101, 'stopped')]);
    const after = revisions.page(0, 10);
    expect(after.items[0]).toBe(before);
    expect(Object.isFrozen(after.items[1])).toBe(true);
  });

  it('pages the current revision in the cluster order, and refuses an older revision with STALE', () => {
    const revisions = new ItemRevisions();
    revisions.apply(Array.from({ length: 5 }, (_, i) => vm(100 + i)));
    const first = revisions.page(0, 2);
    expect(first).toMatchObject({ revision: 1, total: 5 });
    expect(first.items.map((item) => item.vmid)).toEqual([100, 101]);
    expect(revisions.page(4, 2, 1).items.map((item) => item.vmid)).toEqual([104]);
    revisions.apply([vm(100)]);
    const error = staleError(() => revisions.page(2, 2, first.revision));
    expect(error).toBeInstanceOf(IpcError);
    expect(error?.code).toBe('STALE');
    expect(revisions.page(0, 2, 2).items).toHaveLength(1);
  });

  it('keeps the first of two items with the same id', () => {
    const revisions = new ItemRevisions();
    revisions.apply([vm(100), vm(100, 'stopped')]);
    expect(revisions.page(0, 10).items).toEqual([vm(100)]);
  });
});
