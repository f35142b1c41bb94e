import type { InventoryItem } from '../../../shared/domain/inventory';
import type { InventoryEntry } from './inventory-store';
import { itemState } from './item-state';

/** Filters written `prefix:value`; every other word is looked for anywhere in the guest's name, vmid, tags, node, pool and addresses. */
export const searchPrefixes = ['tag', 'node', 'status', 'pool'] as const;
type SearchPrefix = (typeof searchPrefixes)[number];

/** Longer input is cut: nobody types more, and pasted megabytes must not stall the list. */
export const maxQueryLength = 500;

export interface SearchQuery {
  /** Lowercase words that must all appear in the entry's text. */
  words: string[];
  /** Lowercase values an entry must have exactly, per prefix (several of one prefix: all must hold). */
  filters: [SearchPrefix, string][];
}

function isPrefix(text: string): text is SearchPrefix {
  return (searchPrefixes as readonly string[]).includes(text);
}

export function parseQuery(text: string): SearchQuery {
  const query: SearchQuery = { words: [], filters: [] };
  for (const word of text.slice(0, maxQueryLength).toLowerCase().split(/\s+/)) {
    if (word === '') continue;
    const colon = word.indexOf(':');
    const prefix = word.slice(0, colon);
    // An unknown prefix is text: IPv6 addresses and `tag:` alone are searched as typed.
    if (colon > 0 && colon < word.length - 1 && isPrefix(prefix)) query.filters.push([prefix, word.slice(colon + 1)]);
    else query.words.push(word);
  }
  return query;
}

export function isEmptyQuery(query: SearchQuery): boolean {
  return query.words.length === 0 && query.filters.length === 0;
}

// Keyed by the item object: the store replaces the object of each changed item, so only changed entries are lowered again.
const haystacks = new WeakMap<InventoryItem, string>();

/** All the searchable text of an item in lowercase, separated by a character nobody types. */
function haystack(item: InventoryItem): string {
  let text = haystacks.get(item);
  if (text === undefined) {
    text = [item.name ?? '', item.vmid ?? '', item.node ?? '', item.pool ?? '', ...(item.tags ?? []), ...(item.ips ?? [])].join('\u0000').toLowerCase();
    haystacks.set(item, text);
  }
  return text;
}

function equalsIgnoringCase(value: string | undefined, wanted: string): boolean {
  return value !== undefined && value.toLowerCase() === wanted;
}

function passes(item: InventoryItem, [prefix, wanted]: [SearchPrefix, string]): boolean {
  switch (prefix) {
    case 'tag':
      return (item.tags ?? []).some((tag) => tag.toLowerCase() === wanted);
    case 'node':
      return equalsIgnoringCase(item.node, wanted);
    case 'pool':
      return equalsIgnoringCase(item.pool, wanted);
    case 'status':
      // The state the list shows (`locked`, `template`) or PVE's own word (`running` for a locked running guest).
      return itemState(item) === wanted || equalsIgnoringCase(item.status, wanted);
  }
}

/** Whether an entry answers every word and filter of the query (case-insensitive; text, not patterns). */
export function matches(entry: InventoryEntry, query: SearchQuery): boolean {
  const { item } = entry;
  for (const filter of query.filters) if (!passes(item, filter)) return false;
  if (query.words.length === 0) return true;
  const text = haystack(item);
  return query.words.every((word) => text.includes(word));
}

/** The entries that answer `text`; the same array when there is nothing to look for. */
export function search(entries: readonly InventoryEntry[], text: string): readonly InventoryEntry[] {
  const query = parseQuery(text);
  if (isEmptyQuery(query)) return entries;
  return entries.filter((entry) => matches(entry, query));
}
