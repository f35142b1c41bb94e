import type { InventorySort } from '../../../shared/domain/settings';
import type { InventoryEntry } from './inventory-store';
import { columns, type ColumnContext, type SortValue } from './list-columns';

export type EntryComparator = (a: InventoryEntry, b: InventoryEntry) => number;

const collators = new Map<string, Intl.Collator>();

/** "vm-2" before "vm-10", case and accents ignored; one collator per locale, they are slow to build. */
function collator(locale: string): Intl.Collator {
  let found = collators.get(locale);
  if (found === undefined) {
    found = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    collators.set(locale, found);
  }
  return found;
}

function missing(value: SortValue): value is undefined {
  return value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/**
 * A total order on entries: the column's value (numbers as numbers, text by
 * the locale's collation), missing values last in either direction, then the
 * entry key, so equal values always come out in the same order and a list
 * patched entry by entry equals one sorted from scratch.
 */
export function entryComparator(sort: InventorySort, context: ColumnContext, locale: string): EntryComparator {
  const value = columns[sort.column].sortValue;
  const sign = sort.direction === 'asc' ? 1 : -1;
  const compareText = collator(locale).compare;
  return (a, b) => {
    const left = value(a, context);
    const right = value(b, context);
    if (missing(left) || missing(right)) {
      if (!missing(left)) return -1;
      if (!missing(right)) return 1;
    } else {
      const order = typeof left === 'number' && typeof right === 'number' ? left - right : compareText(String(left), String(right));
      if (order !== 0) return sign * order;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  };
}

/** Where `entry` is, or would go, in `rows` sorted by `compare` (looking from `from` on). */
function position(rows: readonly InventoryEntry[], entry: InventoryEntry, compare: EntryComparator, from = 0): number {
  let low = from;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(rows[middle] as InventoryEntry, entry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Past this many changes at once, one merge pass is cheaper than moving the array once per change. */
const spliceLimit = 32;

/**
 * A list's entries kept in order as they change. `sync` takes the list's new
 * entries and finds what changed by object identity (the store replaces the
 * object of each changed entry and keeps the others), then moves only those:
 * a refresh that changes 1 % of 20 000 guests costs one pass over the keys,
 * not a sort.
 */
export class SortedEntries {
  private sorted: InventoryEntry[] = [];
  private byKey = new Map<string, InventoryEntry>();
  /** The entries last given, in the parent's order: the next list usually differs from it only at the changed places. */
  private given: readonly InventoryEntry[] = [];

  constructor(private compare: EntryComparator) {}

  /** The entries in order; a new array after each change that moved something. */
  get rows(): readonly InventoryEntry[] {
    return this.sorted;
  }

  get(key: string): InventoryEntry | undefined {
    return this.byKey.get(key);
  }

  /** Sorts everything again: for a new order, or a list replaced wholesale. */
  reset(entries: readonly InventoryEntry[], compare: EntryComparator = this.compare): void {
    this.compare = compare;
    this.given = entries;
    this.sorted = [...entries].sort(compare);
    this.byKey = new Map(entries.map((entry) => [entry.key, entry]));
  }

  /** Brings the rows to `entries`; returns whether anything changed. */
  sync(entries: readonly InventoryEntry[]): boolean {
    const changed = this.changedInPlace(entries);
    this.given = entries;
    if (changed !== undefined) {
      if (changed.length > 0) this.apply(changed, []);
      return changed.length > 0;
    }
    return this.syncByKey(entries);
  }

  /**
   * The usual refresh: the same keys in the same order, some objects replaced.
   * Comparing with the last list place by place costs a pointer comparison per
   * entry; undefined when keys were added, removed or moved.
   */
  private changedInPlace(entries: readonly InventoryEntry[]): InventoryEntry[] | undefined {
    if (entries.length !== this.given.length) return undefined;
    const changed: InventoryEntry[] = [];
    for (let at = 0; at < entries.length; at++) {
      const entry = entries[at] as InventoryEntry;
      const before = this.given[at] as InventoryEntry;
      if (entry === before) continue;
      if (entry.key !== before.key) return undefined;
      changed.push(entry);
    }
    return changed;
  }

  private syncByKey(entries: readonly InventoryEntry[]): boolean {
    const changed: InventoryEntry[] = [];
    let kept = 0;
    for (const entry of entries) {
      const before = this.byKey.get(entry.key);
      if (before !== undefined) kept++;
      if (before !== entry) changed.push(entry);
    }
    const removed: string[] = [];
    if (kept < this.byKey.size) {
      const present = new Set(entries.map((entry) => entry.key));
      for (const key of this.byKey.keys()) if (!present.has(key)) removed.push(key);
    }
    if (changed.length === 0 && removed.length === 0) return false;
    this.apply(changed, removed);
    return true;
  }

  /** Puts in the new or changed entries and takes out the removed keys. */
  private apply(upserted: readonly InventoryEntry[], removed: readonly string[]): void {
    const rows = [...this.sorted];
    // Most refreshes change load figures or tags, not the sorted value: such an entry takes its old place.
    const moving = upserted.filter((entry) => !this.replaceInPlace(rows, entry));
    if (moving.length + removed.length > spliceLimit) this.sorted = this.merge(rows, moving, removed);
    else this.sorted = this.splice(rows, moving, removed);
  }

  private replaceInPlace(rows: InventoryEntry[], entry: InventoryEntry): boolean {
    const before = this.byKey.get(entry.key);
    // Same key: the comparator says 0 exactly when the sorted value is the same.
    if (before === undefined || this.compare(before, entry) !== 0) return false;
    const at = this.indexOf(rows, before);
    if (at < 0) return false;
    rows[at] = entry;
    this.byKey.set(entry.key, entry);
    return true;
  }

  private indexOf(rows: readonly InventoryEntry[], entry: InventoryEntry): number {
    const guess = position(rows, entry, this.compare);
    // A comparator whose inputs moved under it (a renamed cluster) cannot find the entry by halving: look it up.
    return rows[guess] === entry ? guess : rows.indexOf(entry);
  }

  private splice(rows: InventoryEntry[], moving: readonly InventoryEntry[], removed: readonly string[]): InventoryEntry[] {
    for (const key of removed) this.take(rows, key);
    for (const entry of moving) {
      const at = this.take(rows, entry.key);
      // A changed value that still sorts between the same neighbours stays where it was.
      if (at !== undefined && this.fitsAt(rows, at, entry)) rows.splice(at, 0, entry);
      else rows.splice(position(rows, entry, this.compare), 0, entry);
      this.byKey.set(entry.key, entry);
    }
    return rows;
  }

  /** Removes the entry known under `key` from `rows`; returns where it was. */
  private take(rows: InventoryEntry[], key: string): number | undefined {
    const before = this.byKey.get(key);
    if (before === undefined) return undefined;
    this.byKey.delete(key);
    const at = this.indexOf(rows, before);
    if (at < 0) return undefined;
    rows.splice(at, 1);
    return at;
  }

  private fitsAt(rows: readonly InventoryEntry[], at: number, entry: InventoryEntry): boolean {
    const previous = rows[at - 1];
    const next = rows[at];
    return (previous === undefined || this.compare(previous, entry) < 0) && (next === undefined || this.compare(entry, next) < 0);
  }

  private merge(rows: readonly InventoryEntry[], moving: readonly InventoryEntry[], removed: readonly string[]): InventoryEntry[] {
    const leaving = new Set(removed);
    for (const entry of moving) leaving.add(entry.key);
    for (const key of leaving) this.byKey.delete(key);
    const staying = rows.filter((entry) => !leaving.has(entry.key));
    const arriving = [...moving].sort(this.compare);
    // Each arriving entry finds its place by halving (k log n comparisons, not n): the rest is copying.
    const merged = new Array<InventoryEntry>(staying.length + arriving.length);
    let copied = 0;
    let written = 0;
    for (const entry of arriving) {
      const at = position(staying, entry, this.compare, copied);
      while (copied < at) merged[written++] = staying[copied++] as InventoryEntry;
      merged[written++] = entry;
      this.byKey.set(entry.key, entry);
    }
    while (copied < staying.length) merged[written++] = staying[copied++] as InventoryEntry;
    return merged;
  }
}
