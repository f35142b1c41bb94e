import type { TreeOption } from 'naive-ui';
import type { InventoryGrouping } from '../../../shared/domain/settings';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { itemName, shownText } from './guest-label';
import type { InventoryEntry } from './inventory-store';
import { itemState, itemStates, type ItemState } from './item-state';

/**
 * One row of the resource tree. `key` is unique in the tree (a guest filed
 * under two tags has two rows), `entry` is the inventory item the row
 * stands for (none for a cluster or a group), `profileId` the cluster it
 * belongs to.
 */
export interface TreeRow extends TreeOption {
  key: string;
  label: string;
  profileId: string;
  entry?: InventoryEntry;
  /** What a group row gathers, for its icon: a state group shows that state. */
  groupState?: ItemState;
  children?: TreeRow[];
}

/** The words group rows need, in the user's language. */
export interface GroupNames {
  noPool: string;
  noTag: string;
  noFolder: string;
  unknownOs: string;
  unknownNode: string;
  state: (state: ItemState) => string;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byText = (a: string, b: string): number => collator.compare(a, b);

function isGuest(item: InventoryItem): boolean {
  return item.type === 'qemu' || item.type === 'lxc';
}

/** The text a server gave, when it is text (the data is untrusted: a field may be missing or of another type). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function tagsOf(item: InventoryItem): string[] {
  return Array.isArray(item.tags) ? item.tags.filter((tag): tag is string => typeof tag === 'string' && tag !== '') : [];
}

/** `/cluster/resources` has no OS type; main adds it from the guest's config when it knows it. */
function osTypeOf(item: InventoryItem): string | undefined {
  return text(item.ostype);
}

function byVmid(a: InventoryEntry, b: InventoryEntry): number {
  return (a.item.vmid ?? Number.MAX_SAFE_INTEGER) - (b.item.vmid ?? Number.MAX_SAFE_INTEGER) || byText(a.item.id, b.item.id);
}

/** A row with nothing under it is a leaf: no switcher that opens onto nothing. */
function withChildren(row: TreeRow, children: TreeRow[] | undefined): TreeRow {
  if (children === undefined || children.length === 0) {
    const leaf: TreeRow = { ...row, isLeaf: true };
    delete leaf.children;
    return leaf;
  }
  return { ...row, children, isLeaf: false };
}

// A delta replaces only the changed items' objects: the names of the others are cleaned once, not at every rebuild.
const names = new WeakMap<InventoryItem, string>();
function nameOf(item: InventoryItem): string {
  let name = names.get(item);
  if (name === undefined) {
    name = itemName(item);
    names.set(item, name);
  }
  return name;
}

function entryRow(parentKey: string, entry: InventoryEntry, children?: TreeRow[]): TreeRow {
  return withChildren({ key: `${parentKey}>${entry.key}`, label: nameOf(entry.item), profileId: entry.profileId, entry }, children);
}

function groupRow(key: string, label: string, profileId: string, children: TreeRow[], groupState?: ItemState): TreeRow {
  return withChildren({ key, label, profileId, ...(groupState === undefined ? {} : { groupState }) }, children);
}

function guestRows(parentKey: string, guests: InventoryEntry[]): TreeRow[] {
  return [...guests].sort(byVmid).map((entry) => entryRow(parentKey, entry));
}

/** Puts each entry in the bucket(s) `keysOf` names. */
function bucket(entries: InventoryEntry[], keysOf: (entry: InventoryEntry) => string[]): Map<string, InventoryEntry[]> {
  const buckets = new Map<string, InventoryEntry[]>();
  for (const entry of entries) {
    for (const key of keysOf(entry)) {
      const list = buckets.get(key);
      if (list === undefined) buckets.set(key, [entry]);
      else list.push(entry);
    }
  }
  return buckets;
}

/** Groups keyed by a value, sorted by it, then the group of guests without one. */
function valueGroups(prefix: string, profileId: string, guests: InventoryEntry[], valuesOf: (item: InventoryItem) => string[], noneLabel: string): TreeRow[] {
  const none = '\u0000none';
  const buckets = bucket(guests, ({ item }) => {
    const values = valuesOf(item);
    return values.length === 0 ? [none] : values;
  });
  const rows = [...buckets.keys()]
    .filter((value) => value !== none)
    .sort(byText)
    .map((value) => {
      const key = `${prefix}:${value}`;
      return groupRow(key, shownText(value), profileId, guestRows(key, buckets.get(value) ?? []));
    });
  const without = buckets.get(none);
  if (without !== undefined) rows.push(groupRow(`${prefix}:`, noneLabel, profileId, guestRows(`${prefix}:`, without)));
  return rows;
}

/** Cluster → nodes → their guests and storages, then the cluster's pools: PVE's server view. */
function byNodes(prefix: string, profileId: string, entries: InventoryEntry[], names: GroupNames): TreeRow[] {
  const nodes = entries.filter(({ item }) => item.type === 'node');
  const underNode = bucket(
    entries.filter(({ item }) => isGuest(item) || item.type === 'storage'),
    ({ item }) => [text(item.node) ?? ''],
  );
  const nodeName = ({ item }: InventoryEntry): string => text(item.node) ?? text(item.name) ?? item.id;
  const childrenOf = (key: string, name: string): TreeRow[] => {
    const members = underNode.get(name) ?? [];
    const storages = members.filter(({ item }) => item.type === 'storage').sort((a, b) => byText(nameOf(a.item), nameOf(b.item)));
    return [
      ...guestRows(
        key,
        members.filter(({ item }) => isGuest(item)),
      ),
      ...storages.map((entry) => entryRow(key, entry)),
    ];
  };
  const known = new Set(nodes.map(nodeName));
  const rows = nodes
    .sort((a, b) => byText(nodeName(a), nodeName(b)))
    .map((node) => {
      const key = `${prefix}>${node.key}`;
      return entryRow(prefix, node, childrenOf(key, nodeName(node)));
    });
  // Guests whose node is not listed (the user may not see it, or PVE left the field out) still show, under its name.
  for (const name of [...underNode.keys()].filter((name) => !known.has(name)).sort(byText)) {
    const key = `${prefix}/node:${name}`;
    rows.push(groupRow(key, name === '' ? names.unknownNode : shownText(name), profileId, childrenOf(key, name)));
  }
  const pools = entries.filter(({ item }) => item.type === 'pool').sort((a, b) => byText(nameOf(a.item), nameOf(b.item)));
  return [...rows, ...pools.map((pool) => entryRow(prefix, pool))];
}

/** Each pool (it opens its own view) with its guests, then the guests in no pool. */
function byPools(prefix: string, profileId: string, entries: InventoryEntry[], names: GroupNames): TreeRow[] {
  const guests = entries.filter(({ item }) => isGuest(item));
  const members = bucket(guests, ({ item }) => [text(item.pool) ?? '']);
  const pools = entries.filter(({ item }) => item.type === 'pool').sort((a, b) => byText(nameOf(a.item), nameOf(b.item)));
  const listed = new Set<string>();
  const rows = pools.map((pool) => {
    const name = text(pool.item.pool) ?? '';
    listed.add(name);
    const key = `${prefix}>${pool.key}`;
    return entryRow(prefix, pool, guestRows(key, members.get(name) ?? []));
  });
  // A pool the user may not list still files its guests.
  const unlisted = [...members.keys()].filter((name) => name !== '' && !listed.has(name)).sort(byText);
  for (const name of unlisted)
    rows.push(groupRow(`${prefix}/pool:${name}`, shownText(name), profileId, guestRows(`${prefix}/pool:${name}`, members.get(name) ?? [])));
  const without = members.get('');
  if (without !== undefined) rows.push(groupRow(`${prefix}/pool:`, names.noPool, profileId, guestRows(`${prefix}/pool:`, without)));
  return rows;
}

function byStatus(prefix: string, profileId: string, guests: InventoryEntry[], names: GroupNames): TreeRow[] {
  const buckets = bucket(guests, ({ item }) => [itemState(item)]);
  return itemStates.flatMap((state) => {
    const members = buckets.get(state);
    if (members === undefined) return [];
    const key = `${prefix}/status:${state}`;
    return [groupRow(key, names.state(state), profileId, guestRows(key, members), state)];
  });
}

interface Folder {
  folders: Map<string, Folder>;
  /** A set: `a.b` and `a.b.` name the same folder, the guest is filed once. */
  guests: Set<InventoryEntry>;
}

/**
 * Tags read as paths: `site.lyon.lab` files the guest under site › lyon ›
 * lab, and a guest with several tags is filed under each. Guests without
 * a tag go last, in their own group.
 */
function byFolders(prefix: string, profileId: string, guests: InventoryEntry[], names: GroupNames): TreeRow[] {
  const root: Folder = { folders: new Map(), guests: new Set() };
  const untagged: InventoryEntry[] = [];
  for (const entry of guests) {
    const paths = tagsOf(entry.item)
      .map((tag) => tag.split('.').filter((segment) => segment !== ''))
      .filter((path) => path.length > 0);
    if (paths.length === 0) untagged.push(entry);
    for (const path of paths) {
      let folder = root;
      for (const segment of path) {
        let next = folder.folders.get(segment);
        if (next === undefined) {
          next = { folders: new Map(), guests: new Set() };
          folder.folders.set(segment, next);
        }
        folder = next;
      }
      folder.guests.add(entry);
    }
  }
  const rows = (folder: Folder, key: string): TreeRow[] => [
    ...[...folder.folders.keys()].sort(byText).map((segment) => {
      const child = `${key}.${segment}`;
      return groupRow(child, shownText(segment), profileId, rows(folder.folders.get(segment) ?? root, child));
    }),
    ...guestRows(key, [...folder.guests]),
  ];
  const top = rows(root, `${prefix}/folder:`);
  if (untagged.length > 0) top.push(groupRow(`${prefix}/folder-none`, names.noFolder, profileId, guestRows(`${prefix}/folder-none`, untagged)));
  return top;
}

/**
 * What decides where an item's row sits, and what its label reads, under a
 * grouping. When a refresh changes none of it (a guest's load, its uptime,
 * its state under the node view) the rows stay as built and only the drawn
 * rows redraw, from the live item.
 */
export function placeOf(item: InventoryItem, grouping: InventoryGrouping): string {
  const common = [item.type, item.name, item.vmid, item.node, item.storage, item.pool];
  const specific: Record<InventoryGrouping, () => unknown[]> = {
    nodes: () => [],
    pools: () => [],
    tags: () => tagsOf(item),
    folders: () => tagsOf(item),
    status: () => [itemState(item)],
    os: () => [osTypeOf(item)],
  };
  return JSON.stringify([...common, ...specific[grouping]()]);
}

/** The rows under one cluster's row, arranged as `grouping` says. */
export function groupCluster(grouping: InventoryGrouping, profileId: string, entries: InventoryEntry[], names: GroupNames): TreeRow[] {
  const prefix = profileId;
  const guests = (): InventoryEntry[] => entries.filter(({ item }) => isGuest(item));
  switch (grouping) {
    case 'nodes':
      return byNodes(prefix, profileId, entries, names);
    case 'pools':
      return byPools(prefix, profileId, entries, names);
    case 'tags':
      return valueGroups(`${prefix}/tag`, profileId, guests(), tagsOf, names.noTag);
    case 'status':
      return byStatus(prefix, profileId, guests(), names);
    case 'os':
      return valueGroups(`${prefix}/os`, profileId, guests(), (item) => [osTypeOf(item) ?? ''].filter((value) => value !== ''), names.unknownOs);
    case 'folders':
      return byFolders(prefix, profileId, guests(), names);
  }
}

/**
 * Each item's rows by entry key (a guest filed under two tags has two), for
 * handing the rows a refresh's new entries (takeEntry): a row still holding
 * the entry it was built with would keep that version of the item alive
 * until the next rebuild, and with it one stale copy of every guest changed
 * since.
 */
export function rowsByEntry(rows: TreeRow[]): Map<string, TreeRow[]> {
  const index = new Map<string, TreeRow[]>();
  const walk = (list: TreeRow[]): void => {
    for (const row of list) {
      if (row.entry !== undefined) {
        const found = index.get(row.entry.key);
        if (found === undefined) index.set(row.entry.key, [row]);
        else found.push(row);
      }
      if (row.children !== undefined) walk(row.children);
    }
  };
  walk(rows);
  return index;
}

/**
 * Gives a row the newer version of its item, one whose place (placeOf) has
 * not changed: its label is then the new item's name, the same text, so the
 * row shares the live item's strings instead of keeping the old one's.
 */
export function takeEntry(row: TreeRow, entry: InventoryEntry): void {
  row.entry = entry;
  row.label = nameOf(entry.item);
}

/**
 * The rows whose label or guest id contains `pattern` (any case), with the
 * rows above them; a group keeps only its matching members. Empty pattern:
 * the rows as they are.
 */
export function filterRows(rows: TreeRow[], pattern: string): TreeRow[] {
  const wanted = pattern.trim().toLocaleLowerCase();
  if (wanted === '') return rows;
  const matches = (row: TreeRow): boolean => row.label.toLocaleLowerCase().includes(wanted) || String(row.entry?.item.vmid ?? '').includes(wanted);
  const keep = (list: TreeRow[]): TreeRow[] =>
    list.flatMap((row) => {
      if (row.children === undefined) return matches(row) ? [row] : [];
      const children = keep(row.children);
      return children.length > 0 || matches(row) ? [withChildren(row, children)] : [];
    });
  return keep(rows);
}

/** The rows a reader sees, top to bottom: each row, then its children when it is expanded. */
export function visibleRows(rows: TreeRow[], expanded: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (list: TreeRow[]): void => {
    for (const row of list) {
      out.push(row);
      if (row.children !== undefined && expanded.has(row.key)) walk(row.children);
    }
  };
  walk(rows);
  return out;
}
