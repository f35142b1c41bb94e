import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { defaultSettings } from '../../shared/domain/settings';
import type { InventoryItem } from '../../shared/domain/inventory';
import type { PermissionMap } from '../../shared/domain/permissions';
import { byTestId, exists, fakeIpc, mountInApp, settle } from '../testing';
import { connectionList, profileView } from '../features/connections/testing';
import { PowerActionsHost } from '../features/inventory';
import { clusterFeed, guestItem, labProfileId, layOutVirtualLists, nodeItem, serveInventory } from '../features/inventory/testing/inventory-host';
import ResourceTreePane from './ResourceTreePane.vue';
import { defineComponent, h } from 'vue';

const stub = { render: () => null };
function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'inventory', component: stub },
      { path: '/connections', name: 'connections', component: stub },
      { path: '/inventory/:profileId', name: 'inventory-cluster', component: stub },
      { path: '/inventory/:profileId/node/:node', name: 'inventory-node', component: stub },
      { path: '/inventory/:profileId/pool/:pool', name: 'inventory-pool', component: stub },
      { path: '/inventory/:profileId/guest/:vmid', name: 'inventory-guest', component: stub },
      { path: '/inventory/:profileId/storage/:node/:storage', name: 'inventory-storage', component: stub },
    ],
  });
}

const lab = profileView({ id: labProfileId, name: 'Lab', state: { status: 'connected', since: '2025-01-01T00:00:00Z' } });

const labItems: InventoryItem[] = [
  nodeItem('pve1', { hastate: 'online' }),
  nodeItem('pve2', { status: 'offline' }),
  guestItem(100, { name: 'web-01', hastate: 'started' }),
  guestItem(101, { name: 'db-01', status: 'stopped', lock: 'backup' }),
  guestItem(102, { name: 'web-02', status: 'stopped' }),
  guestItem(103, { name: 'ct-01', type: 'lxc', id: 'lxc/103' }),
  guestItem(200, { name: 'far', node: 'pve2', status: 'stopped' }),
  { id: 'storage/pve1/local', type: 'storage', node: 'pve1', storage: 'local', status: 'available', disk: 25 * 2 ** 30, maxdisk: 100 * 2 ** 30 },
  { id: 'pool/students', type: 'pool', pool: 'students' },
];

// The tree and the one power host, as the shell mounts them.
const Shell = defineComponent(() => () => [h(ResourceTreePane), h(PowerActionsHost)]);

let router: Router;
async function mountTree(options: { items?: InventoryItem[]; permissions?: PermissionMap; feed?: Parameters<typeof clusterFeed>[0] } = {}) {
  fakeIpc.answer('connections.list', () => connectionList([lab]));
  serveInventory(fakeIpc, [
    { feed: clusterFeed(options.feed), items: options.items ?? labItems, ...(options.permissions ? { permissions: options.permissions } : {}) },
  ]);
  router = makeRouter();
  await router.push('/');
  await mountInApp(Shell, {}, [router]);
  await layOutVirtualLists();
}

const tree = () => byTestId('inventory-tree');
const items = () => [...document.querySelectorAll<HTMLElement>('[data-testid="tree-item"]')];
const item = (id: string) => {
  const found = document.querySelector<HTMLElement>(`[data-testid="tree-item"][data-key="${labProfileId}:${id}"]`);
  if (found === null) throw new Error(`no tree item ${id}`);
  return found;
};
const treeitem = (id: string) => item(id).closest<HTMLElement>('[role="treeitem"]') as HTMLElement;
/** A row's text as a screen reader reads it: what is hidden from it left out. */
const spokenText = (element: HTMLElement) => {
  const copy = element.cloneNode(true) as HTMLElement;
  for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
  return copy.textContent;
};
const cursorRow = () => document.getElementById(tree().getAttribute('aria-activedescendant') ?? '');
const cursorLabel = () => cursorRow()?.querySelector('.name')?.textContent;
const cursorKey = () => cursorRow()?.querySelector<HTMLElement>('[data-key]')?.dataset.key;

/** happy-dom moves scrollTop without the scroll event a browser sends, which is what makes the virtual list draw the rows now in view. */
async function scrolled(): Promise<void> {
  tree().dispatchEvent(new Event('scroll'));
  await flushPromises();
}

async function press(key: string, init: KeyboardEventInit = {}): Promise<void> {
  tree().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  await flushPromises();
  await layOutVirtualLists();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('ResourceTreePane', () => {
  it('shows the empty state until there is a profile', async () => {
    fakeIpc.answer('connections.list', () => connectionList([]));
    serveInventory(fakeIpc, []);
    await mountInApp(ResourceTreePane, {}, [makeRouter()]);
    expect(exists('tree-empty')).toBe(true);
    expect(exists('inventory-tree')).toBe(false);
  });

  it('lists each profile with its connection state, its name inert and capped, and follows pushed changes', async () => {
    const hostile = profileView({ id: '55555555-5555-4555-8555-555555555555', name: `<script>x</script>${'y'.repeat(10_000)}` });
    fakeIpc.answer('connections.list', () => connectionList([lab, hostile]));
    serveInventory(fakeIpc, []);
    await mountInApp(ResourceTreePane, {}, [makeRouter()]);
    await layOutVirtualLists();
    const clusters = () => [...document.querySelectorAll('[data-testid="tree-cluster"]')];
    expect(clusters().map((entry) => entry.querySelector('[data-testid="tree-cluster-status"]')?.textContent)).toEqual(['Connected', 'Disconnected']);
    expect(document.querySelector('.tree-pane script')).toBeNull();
    expect(clusters()[1]?.querySelector('.name')?.textContent).toHaveLength(120);
    fakeIpc.emit('connections.changed', connectionList([{ ...lab, state: { status: 'offline', since: '2025-01-01T00:01:00Z' } }]));
    await flushPromises();
    expect(clusters().map((entry) => entry.querySelector('[data-testid="tree-cluster-status"]')?.textContent)).toEqual(['Offline']);
  });

  it('shows cluster → nodes → guests, storages and pools, each guest with its state, HA badge, lock and a spoken state', async () => {
    await mountTree();
    expect(items().map((element) => element.dataset.key?.slice(labProfileId.length + 1))).toEqual([
      'node/pve1',
      'qemu/100',
      'qemu/101',
      'qemu/102',
      'lxc/103',
      'storage/pve1/local',
      'node/pve2',
      'qemu/200',
      'pool/students',
    ]);
    expect(item('qemu/100').dataset.state).toBe('running');
    expect(item('qemu/101').dataset.state).toBe('locked');
    expect(item('node/pve2').dataset.state).toBe('offline');
    expect(item('qemu/100').querySelector('[data-testid="tree-ha"]')).not.toBeNull();
    expect(item('node/pve1').querySelector('[data-testid="tree-ha"]')).toBeNull();
    expect(item('qemu/101').querySelector('[data-testid="tree-lock"]')?.textContent).toBe('backup');
    // The name a screen reader reads is the row's text: the visible name and id, then what the icons say.
    expect(spokenText(treeitem('qemu/100'))).toBe('web-01100, running, HA-managed');
    expect(spokenText(treeitem('qemu/101'))).toBe('db-01101, locked, locked: backup');
    expect(spokenText(treeitem('lxc/103'))).toBe('ct-01103, running, container, read-only');
    expect(item('storage/pve1/local').title.replace(/\u00a0/g, ' ')).toBe('local\n25 GiB of 100 GiB used (25%)');
    expect(treeitem('qemu/100').getAttribute('aria-level')).toBe('3');
  });

  it('follows deltas: a new state redraws the row in place, a migration or a removal moves the rows', async () => {
    await mountTree();
    const delta = (revision: number, upserted: InventoryItem[], removed: string[] = []) =>
      fakeIpc.emit('inventory.changed', { feed: clusterFeed({ revision }), baseRevision: revision - 1, upserted, removed });
    delta(2, [guestItem(102, { name: 'web-02', status: 'running' })]);
    await flushPromises();
    expect(item('qemu/102').dataset.state).toBe('running');
    expect(item('qemu/102').textContent).toContain('running');
    delta(3, [guestItem(102, { name: 'web-02', status: 'running', node: 'pve2' })], ['qemu/101']);
    await flushPromises();
    await layOutVirtualLists();
    const keys = items().map((element) => element.dataset.key?.slice(labProfileId.length + 1));
    expect(keys).not.toContain('qemu/101');
    expect(keys.indexOf('qemu/102')).toBeGreaterThan(keys.indexOf('node/pve2'));
  });

  it('renders hostile names, tags and locks as inert, capped text, and a malformed item without breaking', async () => {
    const hostileName = `<img src=x onerror="window.hacked=1">\u202Egpj.exe\u0007${'x'.repeat(10_000)}`;
    const malformed = { id: 'qemu/105', type: 'qemu', vmid: '105', name: 42, node: 'pve1', tags: 'a;b', status: null } as unknown as InventoryItem;
    await mountTree({ items: [nodeItem('pve1'), guestItem(104, { name: hostileName, lock: '<b>lock</b>', tags: ['<script>x</script>'] }), malformed] });
    const name = item('qemu/104').querySelector('.name')?.textContent ?? '';
    expect(name.startsWith('<img src=x onerror="window.hacked=1">gpj.exe\uFFFD')).toBe(true);
    expect(name).toHaveLength(120);
    expect(item('qemu/104').querySelector('[data-testid="tree-lock"]')?.textContent).toBe('<b>lock</b>');
    expect(tree().querySelector('img, script, b')).toBeNull();
    expect(item('qemu/105').dataset.state).toBe('unknown');
    expect(item('qemu/105').querySelector('.name')?.textContent).toBe('qemu/105');
  });

  it('greys a cluster whose data is not live and says when it was last seen', async () => {
    const lastSeenAt = '2026-01-01T09:41:00Z';
    await mountTree({ feed: { state: 'unreachable', lastSeenAt } });
    const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(new Date(lastSeenAt));
    expect(byTestId('tree-freshness').textContent).toBe(`Unreachable · last seen ${time}`);
    expect(treeitem('qemu/100').classList.contains('old-data')).toBe(true);
    expect(item('qemu/100').dataset.state).toBe('running');
  });

  it('moves with the arrows, Home and End, opens and closes with Right and Left, and finds by typing', async () => {
    await mountTree();
    tree().focus();
    await press('ArrowDown');
    expect(cursorLabel()).toBe('Lab');
    await press('ArrowDown');
    expect(cursorLabel()).toBe('pve1');
    await press('ArrowDown');
    expect(cursorLabel()).toBe('web-01');
    expect(treeitem('qemu/100').getAttribute('aria-selected')).toBe('true');
    await press('End');
    expect(cursorLabel()).toBe('students');
    await press('Home');
    expect(cursorLabel()).toBe('Lab');
    await press('d');
    expect(cursorLabel()).toBe('db-01');
    await press('f');
    await new Promise((resolve) => setTimeout(resolve, 750));
    await press('w');
    expect(cursorLabel()).toBe('web-02');
    await press('w');
    expect(cursorLabel()).toBe('web-02');
    await press('ArrowLeft');
    expect(cursorLabel()).toBe('pve1');
    await press('ArrowLeft');
    expect(items().map((element) => element.dataset.key)).not.toContain(`${labProfileId}:qemu/100`);
    expect(treeitem('node/pve1').getAttribute('aria-expanded')).toBe('false');
    await press('ArrowRight');
    expect(items().map((element) => element.dataset.key)).toContain(`${labProfileId}:qemu/100`);
    await press('ArrowRight');
    expect(cursorLabel()).toBe('web-01');
  });

  it('opens what Enter or a click picks: guest, node, cluster, pool and storage each to its own view', async () => {
    await mountTree();
    tree().focus();
    await press('ArrowDown');
    await press('Enter');
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-cluster', params: { profileId: labProfileId } });
    await press('ArrowDown');
    await press('Enter');
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-node', params: { node: 'pve1' } });
    await press('ArrowDown');
    await press('Enter');
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-guest', params: { profileId: labProfileId, vmid: '100' } });
    item('pool/students').click();
    await flushPromises();
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-pool', params: { pool: 'students' } });
    item('storage/pve1/local').click();
    await flushPromises();
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-storage', params: { node: 'pve1', storage: 'local' } });
  });

  it('filters by name or id, opening the rows that hold a match', async () => {
    await mountTree();
    const input = document.querySelector<HTMLInputElement>('.tree-pane .tools input:not([readonly])');
    if (input === null) throw new Error('no filter box');
    input.value = 'far';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    await layOutVirtualLists();
    expect(items().map((element) => element.dataset.key?.slice(labProfileId.length + 1))).toEqual(['node/pve2', 'qemu/200']);
  });

  it('regroups by the chosen grouping and remembers it in the settings', async () => {
    fakeIpc.answer('settings.update', (patch) => ({ ...defaultSettings, ...patch }));
    await mountTree({ items: [nodeItem('pve1'), guestItem(100, { tags: ['site.lyon.lab'] }), guestItem(101)] });
    byTestId('tree-grouping').querySelector<HTMLElement>('.n-base-selection')?.click();
    await flushPromises();
    await layOutVirtualLists();
    const option = [...document.querySelectorAll<HTMLElement>('.n-base-select-option')].find((element) => element.textContent === 'Folders (tag prefixes)');
    expect(option?.closest('[title]')?.getAttribute('title')).toContain('site.lyon.lab files the guest under site › lyon › lab');
    option?.click();
    await flushPromises();
    await layOutVirtualLists();
    expect(fakeIpc.callsOf('settings.update')).toEqual([{ inventoryGrouping: 'folders' }]);
    expect([...document.querySelectorAll('[data-testid="tree-group"] .name')].map((element) => element.textContent)).toEqual(['site', 'lyon', 'No folder']);
  });

  describe('the item menu', () => {
    // A PVEVMUser on pool "students": audit and power on its guests only, nothing propagated.
    const vmUser: PermissionMap = { '/vms/100': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 }, '/vms/102': { 'VM.Audit': 0 }, '/pool/students': { 'VM.Audit': 0 } };
    const menuOptions = () =>
      [...byTestId('item-menu').querySelectorAll<HTMLElement>('.n-dropdown-option-body')].map((body) => ({
        label: body.textContent?.trim(),
        disabled: body.classList.contains('n-dropdown-option-body--disabled'),
      }));
    const choose = async (label: string) => {
      [...byTestId('item-menu').querySelectorAll<HTMLElement>('.n-dropdown-option-body')].find((body) => body.textContent?.trim() === label)?.click();
      await flushPromises();
    };

    it('offers open and the power actions the user may take, the others disabled naming the missing privilege', async () => {
      await mountTree({ permissions: vmUser });
      treeitem('qemu/100').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 10, clientY: 10 }));
      await flushPromises();
      expect(menuOptions().map(({ label, disabled }) => [label, disabled])).toEqual([
        ['Open', false],
        ['Shut down…', false],
        ['Stop…', false],
        ['Reboot…', false],
        ['Reset…', false],
        ['Pause', false],
        ['Hibernate…', false],
      ]);
      // Esc reaches the menu through the document, as a key pressed in the open menu does.
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await vi.waitFor(() => expect(exists('item-menu')).toBe(false));
      expect(document.activeElement).toBe(tree());

      tree().focus();
      await press('Home');
      for (let index = 0; index < 4; index++) await press('ArrowDown');
      expect(cursorLabel()).toBe('web-02');
      await press('F10', { shiftKey: true });
      const options = menuOptions();
      expect(options.map(({ label, disabled }) => [label, disabled])).toEqual([
        ['Open', false],
        ['Start', true],
      ]);
      expect(byTestId('item-menu').innerHTML).toContain('You lack the VM.PowerMgmt privilege on this guest.');
    });

    it('shows only Open for a guest the user may not audit and for a container', async () => {
      await mountTree({ permissions: vmUser });
      treeitem('qemu/101').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
      await flushPromises();
      expect(menuOptions().map(({ label }) => label)).toEqual(['Open']);
    });

    it('runs the chosen action: a start at once, a stop after the confirmation', async () => {
      fakeIpc.answer('jobs.list', () => []);
      fakeIpc.answer('inventory.power', () => []);
      await mountTree();
      treeitem('qemu/102').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
      await flushPromises();
      await choose('Start');
      expect(fakeIpc.callsOf('inventory.power')).toEqual([{ action: 'start', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 102 }] }]);
      await settle();

      treeitem('qemu/100').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
      await flushPromises();
      await choose('Stop…');
      expect(byTestId('power-confirm').querySelector('h2')?.textContent).toBe('Stop web-01 (100)?');
      byTestId('power-confirm-ok').click();
      await flushPromises();
      expect(fakeIpc.callsOf('inventory.power')[1]).toEqual({ action: 'stop', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] });
    });
  });

  // Not timed: the time limit only stops a hung run, so a machine busy with the rest of the suite does not fail it.
  it('draws 10 000 guests through the virtual list (a sanity check of the build, not a timed test)', { timeout: 60_000 }, async () => {
    const many: InventoryItem[] = [nodeItem('pve1'), nodeItem('pve2')];
    for (let index = 0; index < 10_000; index++) many.push(guestItem(100 + index, { node: index % 2 === 0 ? 'pve1' : 'pve2' }));
    const started = performance.now();
    await mountTree({ items: many });
    console.info(`tree of 10 000 guests mounted in ${(performance.now() - started).toFixed(0)} ms`);
    expect(items().length).toBeGreaterThan(10);
    expect(items().length).toBeLessThan(200);
    tree().focus();
    await press('End');
    // The last row is not drawn until the list has scrolled to it, and the tree names no row that is not in the page.
    expect(tree().hasAttribute('aria-activedescendant')).toBe(false);
    await scrolled();
    expect(cursorKey()).toBe(`${labProfileId}:qemu/10099`);
    // Scrolled away with the pointer, the row is dropped and so is its name; the arrows carry on from it, bringing it back.
    tree().scrollTop = 0;
    await scrolled();
    expect(tree().hasAttribute('aria-activedescendant')).toBe(false);
    await press('ArrowUp');
    await scrolled();
    expect(cursorKey()).toBe(`${labProfileId}:qemu/10097`);
  });
});
