/**
 * Reading the inventory as drawn: the list and the tree draw only the rows
 * in view (both are virtualised), so reading every row means scrolling
 * through them, as a user would.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** A guest as PVE's `/cluster/resources` lists it. */
export interface ResourceItem {
  id: string;
  type: string;
  vmid?: number;
  name?: string;
  node?: string;
  status?: string;
  template?: number;
  lock?: string;
  pool?: string;
  uptime?: number;
}

/**
 * The state the app must show for a guest, from PVE's own fields: a template
 * is never "stopped", a lock (backup, migration) outranks the power state.
 */
export function expectedState(item: ResourceItem): string {
  if (item.template === 1) return 'template';
  if (item.lock !== undefined && item.lock !== '') return 'locked';
  return item.status ?? 'unknown';
}

/**
 * Every `[data-testid=<itemTestId>]` under `container`, by `data-key` with its
 * `data-state`, read while scrolling the container's scroll box from top to
 * bottom; scrolled back to the top after.
 */
export async function everyDrawnItem(container: Locator, itemTestId: string): Promise<Map<string, string>> {
  const found = await container.evaluate(async (root, testId) => {
    const scrolls = (element: Element): boolean => element.scrollHeight > element.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(element).overflowY);
    const box =
      [root, ...Array.from(root.querySelectorAll('*'))].find(scrolls) ??
      (() => {
        for (let up = root.parentElement; up !== null; up = up.parentElement) if (scrolls(up)) return up;
        return undefined;
      })();
    const seen: [string, string][] = [];
    const read = (): void => {
      for (const item of Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)))
        seen.push([item.dataset.key ?? '', item.dataset.state ?? '']);
    };
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    read();
    if (box !== undefined) {
      box.scrollTop = 0;
      for (let last = -1; box.scrollTop !== last;) {
        last = box.scrollTop;
        await frame();
        read();
        box.scrollTop += Math.max(1, box.clientHeight * 0.7);
      }
      await frame();
      read();
      box.scrollTop = 0;
    }
    return seen;
  }, itemTestId);
  return new Map(found);
}

/** Every row of the guest list, by key with its state. */
export function listedGuests(page: Page): Promise<Map<string, string>> {
  return everyDrawnItem(page.getByTestId('inventory-list'), 'inventory-row');
}

/** Every item of the resource tree (as far as it is open), by key with its state. */
export function treeItems(page: Page): Promise<Map<string, string>> {
  return everyDrawnItem(page.getByTestId('inventory-tree'), 'tree-item');
}

/** A row of the list by its key (`<profileId>:qemu/<vmid>`). */
export function row(page: Page, key: string): Locator {
  return page.locator(`[data-testid="inventory-row"][data-key="${key}"]`);
}

/** Types in the list's search box and waits for the list to follow it (the box applies what is typed after a short pause, into `?q=`). */
export async function searchList(page: Page, text: string): Promise<void> {
  await page.getByTestId('inventory-search').locator('input').fill(text);
  // Polled from outside: Playwright's waitForFunction compiles its predicate in the page, which the app's CSP refuses.
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') ?? '')).toBe(text);
}
