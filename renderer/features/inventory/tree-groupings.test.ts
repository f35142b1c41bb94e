import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { entryKey, type InventoryEntry } from './inventory-store';
import { filterRows, groupCluster, placeOf, rowsByEntry, tagsOf, takeEntry, visibleRows, type GroupNames, type TreeRow } from './tree-groupings';
import { guestItem, labProfileId as profileId, nodeItem } from './testing/inventory-host';

const names: GroupNames = {
  noPool: 'No pool',
  noTag: 'No tag',
  noFolder: 'No folder',
  unknownOs: 'OS type unknown',
  unknownNode: 'Unknown node',
  state: (state) => `state:${state}`,
};

const entry = (item: InventoryItem): InventoryEntry => ({ key: entryKey(profileId, item.id), profileId, item });
const entries = (...items: InventoryItem[]) => items.map(entry);

/** The tree as indented text: what a reader sees with every row open. */
function outline(rows: TreeRow[], depth = 0): string[] {
  return rows.flatMap((row) => [`${'  '.repeat(depth)}${row.label}`, ...outline(row.children ?? [], depth + 1)]);
}

const pool = (name: string): InventoryItem => ({ id: `pool/${name}`, type: 'pool', pool: name });
const storage = (node: string, name: string, overrides: Partial<InventoryItem> = {}): InventoryItem => ({
  id: `storage/${node}/${name}`,
  type: 'storage',
  node,
  storage: name,
  status: 'available',
  ...overrides,
});

describe('groupCluster', () => {
  it('by nodes: each node with its guests by vmid, then its storages, then the pools; guests of an unlisted node under its name', () => {
    const rows = groupCluster(
      'nodes',
      profileId,
      entries(
        nodeItem('pve2'),
        nodeItem('pve1'),
        guestItem(102, { name: 'b' }),
        guestItem(101, { name: 'a', node: 'pve2' }),
        guestItem(100, { name: 'c' }),
        storage('pve1', 'local'),
        pool('students'),
        guestItem(300, { name: 'elsewhere', node: 'pve9' }),
        guestItem(301, { name: 'nowhere', node: undefined }),
        { id: 'sdn/pve1/zone', type: 'sdn', node: 'pve1' },
      ),
      names,
    );
    expect(outline(rows)).toEqual(['pve1', '  c', '  b', '  local', 'pve2', '  a', 'Unknown node', '  nowhere', 'pve9', '  elsewhere', 'students']);
    expect(rows[0]?.entry?.item.id).toBe('node/pve1');
    expect(rows.at(-1)?.isLeaf).toBe(true);
  });

  it('by pools: each pool with its members, a pool the user cannot list still files its guests, then the guests in none', () => {
    const rows = groupCluster(
      'pools',
      profileId,
      entries(pool('prod'), guestItem(100, { pool: 'prod' }), guestItem(101, { pool: 'hidden' }), guestItem(102), pool('empty')),
      names,
    );
    expect(outline(rows)).toEqual(['empty', 'prod', '  vm-100', 'hidden', '  vm-101', 'No pool', '  vm-102']);
    expect(rows[1]?.entry?.item.type).toBe('pool');
  });

  it('by tags: a guest under each of its tags, untagged ones last, every row key unique', () => {
    const rows = groupCluster('tags', profileId, entries(guestItem(100, { tags: ['web', 'prod'] }), guestItem(101, { tags: ['prod'] }), guestItem(102)), names);
    expect(outline(rows)).toEqual(['prod', '  vm-100', '  vm-101', 'web', '  vm-100', 'No tag', '  vm-102']);
    const keys = visibleRows(rows, new Set(rows.map((row) => row.key))).map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('by status: groups in the item-state order, a locked or template guest under that state', () => {
    const rows = groupCluster(
      'status',
      profileId,
      entries(guestItem(100, { status: 'stopped' }), guestItem(101), guestItem(102, { lock: 'backup' }), guestItem(103, { template: true, status: 'stopped' })),
      names,
    );
    expect(outline(rows)).toEqual(['state:running', '  vm-101', 'state:stopped', '  vm-100', 'state:template', '  vm-103', 'state:locked', '  vm-102']);
    expect(rows.map((row) => row.groupState)).toEqual(['running', 'stopped', 'template', 'locked']);
  });

  it('by OS type, when main knows it; the others under "unknown"', () => {
    const windows = { ...guestItem(100), ostype: 'win11' } as InventoryItem;
    const rows = groupCluster('os', profileId, entries(windows, guestItem(101), { ...guestItem(102), ostype: 'l26' } as InventoryItem), names);
    expect(outline(rows)).toEqual(['l26', '  vm-102', 'win11', '  vm-100', 'OS type unknown', '  vm-101']);
  });

  it('by folders: dotted tags are paths, sub-folders before guests, a plain tag is a folder of its own', () => {
    const rows = groupCluster(
      'folders',
      profileId,
      entries(
        guestItem(100, { tags: ['site.lyon.lab'] }),
        guestItem(101, { tags: ['site.lyon', 'site.paris.prod'] }),
        guestItem(102, { tags: ['scratch', '..site..lyon.lab.'] }),
        guestItem(103),
      ),
      names,
    );
    expect(outline(rows)).toEqual([
      'scratch',
      '  vm-102',
      'site',
      '  lyon',
      '    lab',
      '      vm-100',
      '      vm-102',
      '    vm-101',
      '  paris',
      '    prod',
      '      vm-101',
      'No folder',
      '  vm-103',
    ]);
  });

  it('shows hostile names as plain capped text and tolerates missing or wrong-typed fields', () => {
    const hostile = guestItem(100, { name: `<img src=x onerror=alert(1)>\u202Egpj.exe\u0007${'x'.repeat(10_000)}`, tags: ['<b>bold</b>.\u202Eevil'] });
    const broken = { id: 'qemu/101', type: 'qemu', vmid: 'nope', name: 42, tags: 'a;b', node: null, status: 7 } as unknown as InventoryItem;
    for (const grouping of ['nodes', 'pools', 'tags', 'status', 'os', 'folders'] as const) {
      const rows = groupCluster(grouping, profileId, entries(nodeItem('pve1'), hostile, broken, { id: 'node/x', type: 'node' }), names);
      const labels = outline(rows).map((line) => line.trim());
      const name = labels.find((label) => label.startsWith('<img'));
      expect(name, grouping).toBeDefined();
      expect(name?.includes('\u202E') || name?.includes('\u0007')).toBe(false);
      expect(name?.length).toBe(120);
      expect(labels).toContain('qemu/101');
    }
    expect(tagsOf(broken)).toEqual([]);
    const folders = outline(groupCluster('folders', profileId, entries(hostile), names)).map((line) => line.trim());
    expect(folders.slice(0, 2)).toEqual(['<b>bold</b>', 'evil']);
  });

  it('builds 10 000 guests on 3 nodes in a few dozen milliseconds (a sanity check of the data structure, not a timed test)', () => {
    const items = [nodeItem('pve1'), nodeItem('pve2'), nodeItem('pve3')];
    for (let index = 0; index < 10_000; index++)
      items.push(guestItem(100 + index, { node: `pve${(index % 3) + 1}`, tags: [`site.s${index % 7}.t${index % 5}`] }));
    const list = entries(...items);
    for (const grouping of ['nodes', 'folders'] as const) {
      const started = performance.now();
      const rows = groupCluster(grouping, profileId, list, names);
      const elapsed = performance.now() - started;
      expect(outline(rows).filter((line) => line.includes('vm-'))).toHaveLength(10_000);
      console.info(`tree of 10 000 guests by ${grouping}: ${elapsed.toFixed(1)} ms`);
    }
  });
});

describe('filterRows', () => {
  const rows = groupCluster(
    'nodes',
    profileId,
    entries(nodeItem('pve1'), nodeItem('pve2'), guestItem(100, { name: 'web-01' }), guestItem(4242, { name: 'db', node: 'pve2' })),
    names,
  );

  it('keeps matching rows (by name or vmid, any case) and the rows above them', () => {
    expect(outline(filterRows(rows, 'WEB'))).toEqual(['pve1', '  web-01']);
    expect(outline(filterRows(rows, '424'))).toEqual(['pve2', '  db']);
    expect(outline(filterRows(rows, 'pve2'))).toEqual(['pve2']);
    expect(filterRows(rows, 'nothing')).toEqual([]);
    expect(filterRows(rows, '  ')).toBe(rows);
  });
});

describe('rowsByEntry', () => {
  it("finds every row of an item, at any depth, by the item's entry key; group rows have none", () => {
    const rows = groupCluster(
      'tags',
      profileId,
      entries(guestItem(100, { tags: ['web', 'prod'] }), guestItem(101, { tags: ['prod'] }), nodeItem('pve1')),
      names,
    );
    const index = rowsByEntry(rows);
    expect([...index.keys()].sort()).toEqual([entryKey(profileId, 'qemu/100'), entryKey(profileId, 'qemu/101')]);
    expect(index.get(entryKey(profileId, 'qemu/100'))?.map((row) => row.key)).toEqual([
      `${profileId}/tag:prod>${entryKey(profileId, 'qemu/100')}`,
      `${profileId}/tag:web>${entryKey(profileId, 'qemu/100')}`,
    ]);
    const nested = rowsByEntry(groupCluster('nodes', profileId, entries(nodeItem('pve1'), guestItem(100)), names));
    expect(nested.get(entryKey(profileId, 'qemu/100'))?.[0]?.entry?.item.id).toBe('qemu/100');
    expect(nested.get(entryKey(profileId, 'node/pve1'))).toHaveLength(1);
  });
});

describe('takeEntry', () => {
  it("gives a row the item's newer version, its label read from it", () => {
    const [row] = groupCluster('pools', profileId, entries(guestItem(100, { name: 'web-01' })), names)[0]?.children ?? [];
    const newer = entry(guestItem(100, { name: 'web-01', tags: ['bench-1'] }));
    if (row === undefined) throw new Error('no guest row');
    takeEntry(row, newer);
    expect(row.entry).toBe(newer);
    expect(row.label).toBe('web-01');
  });
});

describe('placeOf', () => {
  it('changes when a row would move or be renamed under the grouping, not when only its load or state changes there', () => {
    const before = guestItem(100, { status: 'stopped', cpu: 0 });
    const started = { ...before, status: 'running', cpu: 0.5 };
    expect(placeOf(started, 'nodes')).toBe(placeOf(before, 'nodes'));
    expect(placeOf(started, 'status')).not.toBe(placeOf(before, 'status'));
    expect(placeOf({ ...before, node: 'pve2' }, 'nodes')).not.toBe(placeOf(before, 'nodes'));
    expect(placeOf({ ...before, name: 'renamed' }, 'tags')).not.toBe(placeOf(before, 'tags'));
    expect(placeOf({ ...before, tags: ['a.b'] }, 'folders')).not.toBe(placeOf(before, 'folders'));
    expect(placeOf({ ...before, tags: ['a.b'] }, 'nodes')).toBe(placeOf(before, 'nodes'));
  });
});
