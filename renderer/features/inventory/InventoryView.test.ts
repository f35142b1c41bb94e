import { flushPromises } from '@vue/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { ClusterFeed, InventoryItem } from '../../../shared/domain/inventory';
import { defaultSettings, type Settings } from '../../../shared/domain/settings';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { serveJobs } from '../tasks/testing/jobs-host';
import InventoryView from './InventoryView.vue';
import PowerActionsHost from './PowerActionsHost.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory, type FakeCluster } from './testing/inventory-host';

const secondProfileId = '22222222-2222-4222-8222-222222222222';
const Page = defineComponent(() => () => [h(InventoryView), h(PowerActionsHost)]);
const Stub = defineComponent(() => () => h('p', 'elsewhere'));

let saved: Settings;
let router: Router;

function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/inventory', name: 'inventory', component: Stub },
      { path: '/inventory/:profileId/guest/:vmid', name: 'inventory-guest', component: Stub },
      { path: '/connections', name: 'connections', component: Stub },
    ],
  });
}

async function mountView(clusters: FakeCluster[], query = ''): Promise<void> {
  serveInventory(fakeIpc, clusters);
  router = makeRouter();
  await router.push(`/inventory${query}`);
  await mountInApp(Page, {}, [router]);
  await flushPromises();
}

function rows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="inventory-row"]')];
}
function row(key: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-testid="inventory-row"][data-key="${key}"]`);
  if (found === null) throw new Error(`no row ${key}`);
  return found;
}
function cell(key: string, column: string): string {
  return row(key).querySelector(`[data-column="${column}"]`)?.textContent?.trim() ?? '';
}
function names(): string[] {
  return rows().map((element) => element.querySelector('[data-column="name"]')?.textContent?.trim() ?? '');
}
const key = (vmid: number, profileId = labProfileId) => `${profileId}:qemu/${vmid}`;

async function typeSearch(text: string): Promise<void> {
  const input = byTestId('inventory-search').querySelector('input') as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await settle();
  await settle();
}

async function press(target: HTMLElement, keyName: string, init: KeyboardEventInit = {}): Promise<void> {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: keyName, bubbles: true, cancelable: true, ...init }));
  await flushPromises();
}

// happy-dom lays nothing out: the list's scroll box gets the height of 20 rows, as a window would give it, so the virtualiser has rows to draw.
const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('scroller') ? 680 : 0;
    },
  });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  if (clientHeight !== undefined) Object.defineProperty(Element.prototype, 'clientHeight', clientHeight);
});

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  saved = structuredClone(defaultSettings);
  fakeIpc.answer('settings.get', () => saved);
  fakeIpc.answer('settings.update', (patch) => (saved = { ...saved, ...patch }));
  serveJobs(fakeIpc);
});

describe('InventoryView', () => {
  it('lists every guest of every cluster with its state, sorted by name, the cluster column shown for two clusters', async () => {
    await mountView([
      {
        feed: clusterFeed(),
        items: [
          nodeItem('pve1'),
          guestItem(100, { name: 'web', cpu: 0.42, maxcpu: 2, mem: 1024 ** 3, maxmem: 4 * 1024 ** 3, uptime: 3 * 86_400 + 4 * 3600, tags: ['prod', 'web'] }),
          guestItem(101, { name: 'db', status: 'stopped', maxmem: 2 * 1024 ** 3 }),
          guestItem(102, { name: 'backup', lock: 'backup' }),
          guestItem(103, { name: 'golden', template: true, status: 'stopped' }),
        ],
      },
      { feed: clusterFeed({ profileId: secondProfileId, name: 'Pre-\u202Eproduction' }), items: [guestItem(200, { name: 'app', hastate: 'started' })] },
    ]);
    expect(names()).toEqual(['app', 'backup', 'db', 'golden', 'web']);
    expect(row(key(100)).dataset.state).toBe('running');
    expect(row(key(101)).dataset.state).toBe('stopped');
    expect(row(key(102)).dataset.state).toBe('locked');
    expect(row(key(103)).dataset.state).toBe('template');
    expect(cell(key(100), 'status')).toBe('running');
    expect(cell(key(100), 'cpu')).toBe('42%');
    expect(cell(key(100), 'memory')).toBe('1\u00a0GiB / 4\u00a0GiB');
    expect(cell(key(101), 'memory')).toBe('2\u00a0GiB');
    expect(cell(key(100), 'uptime')).toBe('3\u00a0d 4\u00a0h');
    expect([...row(key(100)).querySelectorAll('.tag')].map((tag) => tag.textContent)).toEqual(['prod', 'web']);
    expect(cell(key(200, secondProfileId), 'cluster')).toBe('Pre-production');
    expect(cell(key(200, secondProfileId), 'status')).toContain('HA-managed');
    expect(byTestId('inventory-count').textContent).toContain('5 of 5 guests');
  });

  it('hides the cluster column for a single cluster', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100)] }]);
    expect(exists('sort-name')).toBe(true);
    expect(exists('sort-cluster')).toBe(false);
  });

  it('gives the grid its size, order and position for screen readers', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100, { name: 'b' }), guestItem(101, { name: 'a' }), guestItem(102, { name: 'c' })] }]);
    const grid = byTestId('inventory-list');
    expect(grid.getAttribute('role')).toBe('grid');
    expect(grid.getAttribute('aria-rowcount')).toBe('4');
    expect(grid.getAttribute('aria-multiselectable')).toBe('true');
    expect(grid.querySelectorAll('[role="columnheader"]').length).toBe(Number(grid.getAttribute('aria-colcount')));
    expect(byTestId('sort-name').closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('ascending');
    expect(byTestId('sort-vmid').closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('none');
    expect(rows().map((element) => [element.getAttribute('role'), element.getAttribute('aria-rowindex')])).toEqual([
      ['row', '2'],
      ['row', '3'],
      ['row', '4'],
    ]);
    expect(rows()[0]?.querySelectorAll('[role="gridcell"]').length).toBe(Number(grid.getAttribute('aria-colcount')));
    expect(rows()[0]?.querySelector('[data-testid="row-select"]')?.getAttribute('aria-label')).toBe('Select a');
  });

  it('sorts by a header click, again the other way, and remembers the sort in the settings', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(300, { name: 'a' }), guestItem(100, { name: 'c' }), guestItem(200, { name: 'b' })] }]);
    await click('sort-vmid');
    expect(names()).toEqual(['c', 'b', 'a']);
    expect(saved.inventorySort).toEqual({ column: 'vmid', direction: 'asc' });
    await click('sort-vmid');
    expect(names()).toEqual(['a', 'b', 'c']);
    expect(byTestId('sort-vmid').closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('descending');
  });

  it('keeps the order when a refresh changes a guest, moving only what must move', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100, { name: 'a' }), guestItem(101, { name: 'b' }), guestItem(102, { name: 'c' })] }]);
    const untouched = row(key(100));
    fakeIpc.emit('inventory.changed', {
      feed: clusterFeed({ revision: 2 }),
      baseRevision: 1,
      upserted: [guestItem(101, { name: 'z', status: 'stopped' }), guestItem(103, { name: 'b2' })],
      removed: ['qemu/102'],
    });
    await flushPromises();
    expect(names()).toEqual(['a', 'b2', 'z']);
    expect(row(key(101)).dataset.state).toBe('stopped');
    // Keyed by entry: the row of an unchanged guest is the same element.
    expect(row(key(100))).toBe(untouched);
  });

  it('searches as the user types, keeps the query in the address, and filters with prefixes', async () => {
    await mountView([
      {
        feed: clusterFeed(),
        items: [
          guestItem(100, { name: 'web-1', tags: ['prod'], ips: ['10.1.2.3'] }),
          guestItem(101, { name: 'web-2', node: 'pve2' }),
          guestItem(102, { name: 'db' }),
        ],
      },
    ]);
    await typeSearch('web');
    expect(names()).toEqual(['web-1', 'web-2']);
    expect(router.currentRoute.value.query.q).toBe('web');
    await typeSearch('node:pve2');
    expect(names()).toEqual(['web-2']);
    await typeSearch('10.1.2');
    expect(names()).toEqual(['web-1']);
    await typeSearch('nothing');
    expect(rows()).toHaveLength(0);
    expect(byTestId('inventory-list-empty').textContent).toBe('No guest matches this search.');
    await typeSearch('');
    expect(names()).toEqual(['db', 'web-1', 'web-2']);
    expect(router.currentRoute.value.query.q).toBeUndefined();
  });

  it('starts from the query in the address', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100, { name: 'web' }), guestItem(101, { name: 'db' })] }], '?q=db');
    expect(names()).toEqual(['db']);
    expect((byTestId('inventory-search').querySelector('input') as HTMLInputElement).value).toBe('db');
  });

  it('renders hostile names inertly as text, without control or bidi characters, capped', async () => {
    const hostile = [
      guestItem(100, { name: '<img src=x onerror=alert(1)>' }),
      guestItem(101, { name: 'javascript:alert(1)', tags: ['<b>x</b>'] }),
      guestItem(102, { name: 'evil\u202Egpj.exe\u0007\u0000' }),
      guestItem(103, { name: 'n'.repeat(10_000), pool: '<script>alert(1)</script>' }),
    ];
    await mountView([{ feed: clusterFeed(), items: hostile }]);
    const grid = byTestId('inventory-list');
    expect(grid.querySelector('img, script, b, a')).toBeNull();
    expect(cell(key(100), 'name')).toBe('<img src=x onerror=alert(1)>');
    expect(cell(key(101), 'name')).toBe('javascript:alert(1)');
    expect(cell(key(102), 'name')).toBe('evilgpj.exe\uFFFD\uFFFD');
    expect(cell(key(103), 'name').length).toBeLessThanOrEqual(120);
    expect(cell(key(103), 'name').endsWith('…')).toBe(true);
  });

  it('persists the columns picked and their order through the settings', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100, { pool: 'students' })] }]);
    await click('columns-picker');
    const poolBox = byTestId('column-pool').querySelector<HTMLElement>('.n-checkbox') ?? byTestId('column-pool');
    poolBox.click();
    await flushPromises();
    expect(saved.inventoryColumns).toEqual([...defaultSettings.inventoryColumns, 'pool']);
    expect(cell(key(100), 'pool')).toBe('students');
    await click('column-up-vmid');
    expect(saved.inventoryColumns.slice(0, 2)).toEqual(['vmid', 'name']);
    const headers = [...byTestId('inventory-list').querySelectorAll('[data-testid^="sort-"]')].map((element) => element.getAttribute('data-testid'));
    expect(headers.slice(0, 2)).toEqual(['sort-vmid', 'sort-name']);
    byTestId('column-tags').click();
    await flushPromises();
    expect(saved.inventoryColumns).not.toContain('tags');
    expect(exists('sort-tags')).toBe(false);
  });

  it('selects with the checkboxes, a Shift+click range and select-all, then shuts the selection down in one call', async () => {
    await mountView([
      {
        feed: clusterFeed(),
        items: [guestItem(100, { name: 'a' }), guestItem(101, { name: 'b' }), guestItem(102, { name: 'c' }), guestItem(103, { name: 'd' })],
      },
    ]);
    fakeIpc.answer('inventory.power', () => []);
    const checkbox = (vmid: number) => row(key(vmid)).querySelector<HTMLInputElement>('[data-testid="row-select"]') as HTMLInputElement;
    checkbox(100).click();
    await flushPromises();
    checkbox(102).dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await flushPromises();
    expect(rows().map((element) => element.getAttribute('aria-selected'))).toEqual(['true', 'true', 'true', 'false']);
    expect(byTestId('selection-count').textContent).toBe('3 guests selected');
    await click('bulk-shutdown');
    await settle();
    expect(byTestId('power-confirm').textContent).toContain('a (100)');
    await click('power-confirm-ok');
    await settle();
    expect(fakeIpc.callsOf('inventory.power')).toEqual([
      expect.objectContaining({ action: 'shutdown', targets: [100, 101, 102].map((vmid) => ({ profileId: labProfileId, node: 'pve1', vmid })) }),
    ]);
    (byTestId('select-all') as HTMLInputElement).click();
    await flushPromises();
    expect(rows().every((element) => element.getAttribute('aria-selected') === 'true')).toBe(true);
    (byTestId('select-all') as HTMLInputElement).click();
    await flushPromises();
    expect(exists('bulk-bar')).toBe(false);
  });

  it('disables a bulk action the user may not take on some of the selection, saying why and for how many', async () => {
    await mountView([
      {
        feed: clusterFeed(),
        items: [guestItem(100), guestItem(101), guestItem(102)],
        permissions: { '/vms/100': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 }, '/vms/101': { 'VM.Audit': 0 }, '/vms/102': { 'VM.Audit': 0 } },
      },
    ]);
    (byTestId('select-all') as HTMLInputElement).click();
    await flushPromises();
    const stop = byTestId('bulk-stop') as HTMLButtonElement;
    expect(stop.disabled).toBe(true);
    const reason = document.getElementById(stop.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('You lack the VM.PowerMgmt privilege on this guest. This concerns 2 of the selected guests.');
    expect((byTestId('bulk-start') as HTMLButtonElement).disabled).toBe(true);
  });

  it('moves with the arrows (roving tabindex), selects with Space, opens with Enter and shows the power menu with the menu key', async () => {
    await mountView([
      { feed: clusterFeed(), items: [guestItem(100, { name: 'a' }), guestItem(101, { name: 'b', status: 'stopped' }), guestItem(102, { name: 'c' })] },
    ]);
    expect(rows().map((element) => element.tabIndex)).toEqual([0, -1, -1]);
    row(key(100)).focus();
    await press(row(key(100)), 'ArrowDown');
    expect(rows().map((element) => element.tabIndex)).toEqual([-1, 0, -1]);
    expect(document.activeElement).toBe(row(key(101)));
    await press(row(key(101)), 'End');
    expect(document.activeElement).toBe(row(key(102)));
    await press(row(key(102)), 'ArrowUp');
    await press(row(key(101)), ' ');
    expect(row(key(101)).getAttribute('aria-selected')).toBe('true');
    await press(row(key(101)), 'ContextMenu');
    await settle();
    const menuItems = [...document.querySelectorAll('.n-dropdown-option')].map((element) => element.textContent?.trim());
    expect(menuItems).toEqual(['Open', 'Start']);
    expect(exists('row-menu')).toBe(true);
    await press(row(key(101)), 'Enter');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/inventory/${labProfileId}/guest/101`);
  });

  it('starts a stopped guest from its context menu', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100, { status: 'stopped' })] }]);
    fakeIpc.answer('inventory.power', () => []);
    row(key(100)).dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 50, clientY: 60 }));
    await settle();
    const start = [...document.querySelectorAll<HTMLElement>('.n-dropdown-option-body')].find((element) => element.textContent?.trim() === 'Start');
    start?.click();
    await settle();
    expect(fakeIpc.callsOf('inventory.power')).toEqual([{ action: 'start', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] }]);
    expect(document.activeElement).toBe(row(key(100)));
  });

  it('keeps a tab stop when the focused guest leaves the list', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100, { name: 'a' }), guestItem(101, { name: 'b' })] }]);
    row(key(101)).click();
    await flushPromises();
    expect(rows().map((element) => element.tabIndex)).toEqual([-1, 0]);
    fakeIpc.emit('inventory.changed', { feed: clusterFeed({ revision: 2 }), baseRevision: 1, upserted: [], removed: ['qemu/101'] });
    await flushPromises();
    expect(rows().map((element) => element.tabIndex)).toEqual([0]);
  });

  it('opens a guest with a double click', async () => {
    await mountView([{ feed: clusterFeed(), items: [guestItem(100)] }]);
    row(key(100))
      .querySelector('[data-column="name"]')
      ?.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await flushPromises();
    expect(router.currentRoute.value.params).toEqual({ profileId: labProfileId, vmid: '100' });
  });

  it('says when a cluster is not answering, with its error, and greys its rows with the time last seen', async () => {
    const lastSeenAt = new Date(new Date().setHours(10, 42, 0, 0)).toISOString();
    const down: ClusterFeed = clusterFeed({ profileId: secondProfileId, name: 'lab1', state: 'unreachable', lastSeenAt, error: 'connect ECONNREFUSED <b>' });
    await mountView([
      { feed: clusterFeed(), items: [guestItem(100)] },
      { feed: down, items: [guestItem(200)] },
    ]);
    const banner = byTestId('feed-state');
    expect(banner.dataset.state).toBe('unreachable');
    expect(banner.dataset.profile).toBe(secondProfileId);
    expect(banner.textContent).toContain('lab1: not answering since 10:42 AM. Showing the last known data; retrying by itself.');
    expect(byTestId('feed-error').textContent).toBe('connect ECONNREFUSED <b>');
    expect(row(key(200, secondProfileId)).classList.contains('stale')).toBe(true);
    expect(cell(key(200, secondProfileId), 'status')).toContain('last seen 10:42 AM');
    expect(row(key(100)).classList.contains('stale')).toBe(false);
  });

  it('shows the empty state with the way to add a connection when no cluster is connected', async () => {
    await mountView([]);
    expect(exists('inventory-empty')).toBe(true);
    expect(byTestId('inventory-empty').textContent).toContain('Add a connection');
  });

  it('says why the inventory could not be read', async () => {
    router = makeRouter();
    await router.push('/inventory');
    await mountInApp(Page, {}, [router]);
    await flushPromises();
    expect(byTestId('inventory-load-error').textContent).toContain('The inventory could not be read.');
  });

  it('mounts 20 000 guests drawing only a few dozen rows', async () => {
    const items: InventoryItem[] = Array.from({ length: 20_000 }, (_, index) => guestItem(100 + index, { name: `vm-${index}` }));
    await mountView([{ feed: clusterFeed(), items }]);
    expect(byTestId('inventory-list').getAttribute('aria-rowcount')).toBe('20001');
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(60);
    expect(names()[0]).toBe('vm-0');
    expect(names()[1]).toBe('vm-1');
  });
});
