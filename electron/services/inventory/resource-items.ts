import { z } from 'zod';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { clusterResourcesData, type ClusterResource } from '../../../shared/pve/cluster';
import { withoutBidiControls } from '../../../shared/text/bidi-controls';

/** Longer ids are not PVE's (a storage id is at most ~100 characters): such items are skipped, never cut, so two can never share an id. */
export const maxItemIdLength = 512;
const maxTextLength = 256;
export const maxTagLength = 64;
/** PVE's tag list has no bound; a list past this is someone's joke. */
export const maxTags = 64;

const itemSchema = clusterResourcesData.element;

/** An item left out: its id as far as it can be told, and where the fields were wrong (never their values). */
export interface SkippedItem {
  id: string;
  fields: string[];
}

export interface ParsedResources {
  items: ClusterResource[];
  skipped: SkippedItem[];
}

/** Untrusted text as the UI will show it: without bidi controls, at most `max` characters. */
export function cleanText(text: string, max = maxTextLength): string {
  return withoutBidiControls(text).slice(0, max);
}

/** Every string of an item but its id, as the UI will show it: without bidi controls and capped. */
function cleaned(item: ClusterResource): ClusterResource {
  const copy: Record<string, unknown> = { ...item };
  for (const [key, value] of Object.entries(copy)) {
    if (key !== 'id' && typeof value === 'string') copy[key] = cleanText(value);
  }
  if (item.tags !== undefined) copy.tags = item.tags.slice(0, maxTags).map((tag) => cleanText(tag, maxTagLength));
  return copy as ClusterResource;
}

function idOf(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? cleanText(id, 100) : '(no id)';
}

function issuePaths(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => (issue.path.length > 0 ? issue.path.join('.') : '(item)')))];
}

/** Checks each item of a `/cluster/resources` answer on its own: good ones cleaned, bad ones named with their wrong fields. */
export function parseResources(answer: readonly unknown[]): ParsedResources {
  const items: ClusterResource[] = [];
  const skipped: SkippedItem[] = [];
  for (const raw of answer) {
    const parsed = itemSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push({ id: idOf(raw), fields: issuePaths(parsed.error) });
    } else if (parsed.data.id.length > maxItemIdLength) {
      skipped.push({ id: idOf(raw), fields: ['id'] });
    } else {
      items.push(cleaned(parsed.data));
    }
  }
  return { items, skipped };
}

/** Whether two items say the same, field by field (tags and addresses element by element). */
export function sameItem(a: InventoryItem, b: InventoryItem): boolean {
  // Plain loops: this runs for every item of every poll, 10 000 of them on a large cluster.
  let count = 0;
  for (const key in a) {
    const field = key as keyof InventoryItem;
    if (a[field] === undefined) continue;
    count += 1;
    if (!sameValue(a[field], b[field])) return false;
  }
  for (const key in b) if (b[key as keyof InventoryItem] !== undefined) count -= 1;
  return count === 0;
}

/** Two field values alike: the same primitive, or arrays alike element by element. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, index) => value === b[index]);
  return a === b;
}
