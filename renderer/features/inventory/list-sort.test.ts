import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import type { InventorySort } from '../../../shared/domain/settings';
import type { InventoryEntry } from './inventory-store';
import { entryComparator, SortedEntries } from './list-sort';

const context = { clusterName: (profileId: string) => (profileId === 'a' ? 'Production' : 'Lab') };

function guest(vmid: number, fields: Partial<InventoryItem> = {}, profileId = 'a'): InventoryEntry {
  return { key: `${profileId}:qemu/${vmid}`, profileId, item: { id: `qemu/${vmid}`, type: 'qemu', vmid, node: 'pve1', status: 'running', ...fields } };
}

function sortedKeys(entries: InventoryEntry[], sort: InventorySort): string[] {
  return [...entries].sort(entryComparator(sort, context, 'en')).map((entry) => entry.key);
}

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('entryComparator', () => {
  it('sorts numbers as numbers and names by the locale, "vm-2" before "vm-10", case ignored', () => {
    const entries = [guest(1000, { name: 'vm-10' }), guest(200, { name: 'VM-2' }), guest(30000, { name: 'alpha' })];
    expect(sortedKeys(entries, { column: 'vmid', direction: 'asc' })).toEqual(['a:qemu/200', 'a:qemu/1000', 'a:qemu/30000']);
    expect(sortedKeys(entries, { column: 'name', direction: 'asc' })).toEqual(['a:qemu/30000', 'a:qemu/200', 'a:qemu/1000']);
    expect(sortedKeys(entries, { column: 'name', direction: 'desc' })).toEqual(['a:qemu/1000', 'a:qemu/200', 'a:qemu/30000']);
  });

  it('puts missing values last in both directions', () => {
    const entries = [guest(100, { cpu: undefined }), guest(101, { cpu: 0.5 }), guest(102, { cpu: 0.1 }), guest(103, { cpu: Number.NaN })];
    expect(sortedKeys(entries, { column: 'cpu', direction: 'asc' })).toEqual(['a:qemu/102', 'a:qemu/101', 'a:qemu/100', 'a:qemu/103']);
    expect(sortedKeys(entries, { column: 'cpu', direction: 'desc' })).toEqual(['a:qemu/101', 'a:qemu/102', 'a:qemu/100', 'a:qemu/103']);
    const pools = [guest(100, { pool: '' }), guest(101, { pool: 'b' }), guest(102), guest(103, { pool: 'a' })];
    expect(sortedKeys(pools, { column: 'pool', direction: 'desc' })).toEqual(['a:qemu/101', 'a:qemu/103', 'a:qemu/100', 'a:qemu/102']);
  });

  it('is stable: equal values come out in key order whatever order they went in', () => {
    const entries = [guest(105, { node: 'pve2' }), guest(101, { node: 'pve1' }), guest(103, { node: 'pve2' }), guest(102, { node: 'pve1' })];
    const expected = ['a:qemu/101', 'a:qemu/102', 'a:qemu/103', 'a:qemu/105'];
    expect(sortedKeys(entries, { column: 'node', direction: 'asc' })).toEqual(expected);
    expect(sortedKeys([...entries].reverse(), { column: 'node', direction: 'asc' })).toEqual(expected);
  });

  it('sorts the status by what needs attention, and the cluster by its name', () => {
    const entries = [guest(100, { status: 'stopped' }), guest(101, { status: 'running', lock: 'backup' }), guest(102), guest(103, { template: true }, 'b')];
    expect(sortedKeys(entries, { column: 'status', direction: 'asc' })).toEqual(['a:qemu/102', 'a:qemu/101', 'a:qemu/100', 'b:qemu/103']);
    expect(sortedKeys(entries, { column: 'cluster', direction: 'asc' })[0]).toBe('b:qemu/103');
  });
});

describe('SortedEntries', () => {
  const sorts: InventorySort[] = [
    { column: 'name', direction: 'asc' },
    { column: 'cpu', direction: 'desc' },
    { column: 'node', direction: 'asc' },
    { column: 'tags', direction: 'desc' },
  ];

  function randomGuest(next: () => number, vmid: number): InventoryEntry {
    const pick = <T>(choices: T[]): T => choices[Math.floor(next() * choices.length)] as T;
    return guest(vmid, {
      name: pick(['web', 'db', 'Web', 'cache', undefined, 'vm-2', 'vm-10']),
      cpu: pick([0, 0.25, 0.5, undefined]),
      node: pick(['pve1', 'pve2', 'pve3']),
      tags: pick([[], ['prod'], ['test', 'web']]),
    });
  }

  for (const sort of sorts) {
    it(`after random changes keeps the same order as a full sort (${sort.column} ${sort.direction})`, () => {
      const next = random(sort.column.length * 7919);
      const compare = entryComparator(sort, context, 'en');
      let current = Array.from({ length: 300 }, (_, index) => randomGuest(next, 100 + index));
      const list = new SortedEntries(compare);
      list.reset(current);
      for (let round = 0; round < 60; round++) {
        // Some rounds change a few entries (moved one by one), others many (merged in one pass).
        const changes = round % 3 === 0 ? 80 : 1 + Math.floor(next() * 6);
        const byKey = new Map(current.map((entry) => [entry.key, entry]));
        for (let change = 0; change < changes; change++) {
          const vmid = 100 + Math.floor(next() * 400);
          const key = `a:qemu/${vmid}`;
          if (byKey.has(key) && next() < 0.2) byKey.delete(key);
          else byKey.set(key, randomGuest(next, vmid));
        }
        current = [...byKey.values()];
        list.sync(current);
        expect(list.rows.map((entry) => entry.key)).toEqual([...current].sort(compare).map((entry) => entry.key));
        expect(list.rows.every((entry) => list.get(entry.key) === entry)).toBe(true);
      }
    });
  }

  it('reports no change and keeps the same rows when the entries are the same objects', () => {
    const entries = [guest(100), guest(101)];
    const list = new SortedEntries(entryComparator({ column: 'vmid', direction: 'asc' }, context, 'en'));
    list.reset(entries);
    const before = list.rows;
    expect(list.sync([...entries])).toBe(false);
    expect(list.rows).toBe(before);
  });

  it('keeps a changed entry in place when its sorted value did not change', () => {
    const entries = [guest(100, { name: 'a' }), guest(101, { name: 'b' }), guest(102, { name: 'c' })];
    const list = new SortedEntries(entryComparator({ column: 'name', direction: 'asc' }, context, 'en'));
    list.reset(entries);
    const busier = guest(101, { name: 'b', cpu: 0.9 });
    expect(list.sync([entries[0] as InventoryEntry, busier, entries[2] as InventoryEntry])).toBe(true);
    expect(list.rows[1]).toBe(busier);
  });
});
