import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { clusterFeed, guestItem, labProfileId, serveInventory } from '../inventory/testing';
import ConsolesView from './ConsolesView.vue';
import { useConsolesStore } from './consoles-store';

/** The store the page set up (its setup has run once mountInApp returned). */
function mounted<T>(store: T | undefined): T {
  if (store === undefined) throw new Error('the page did not set up');
  return store;
}

const vnc: ConsoleTarget = { kind: 'vnc', profileId: labProfileId, node: 'pve1', vmid: 100 };
const shell: ConsoleTarget = { kind: 'shell', profileId: labProfileId, node: 'pve1', via: 'termproxy' };

async function showConsoles(targets: ConsoleTarget[]) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [guestItem(100)] }]);
  fakeIpc.answer('consoles.open', () => new Promise(() => undefined)); // stays connecting: the tabs are what is looked at
  let consoles: ReturnType<typeof useConsolesStore> | undefined;
  const Page = defineComponent(() => {
    consoles = useConsolesStore();
    for (const target of targets) consoles.open(target);
    return () => h(ConsolesView);
  });
  await mountInApp(Page);
  await settle();
  return () => mounted(consoles);
}

const tabs = () => [...document.querySelectorAll<HTMLElement>('[data-testid="console-tab"]')];
/** Console panels not hidden by their tab pane (hidden tabs stay mounted, display: none). */
const shownPanels = () =>
  [...document.querySelectorAll<HTMLElement>('[data-testid="console-panel"]')].filter(
    (panel) => panel.closest<HTMLElement>('.n-tab-pane')?.style.display !== 'none',
  );

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});
afterEach(() => vi.restoreAllMocks());

describe('ConsolesView', () => {
  it('says how to open a console when none is open', async () => {
    await showConsoles([]);
    expect(byTestId('consoles-view').textContent).toContain('No console is open');
    expect(exists('console-panel')).toBe(false);
  });

  it('shows a labelled tab per console, reachable by keyboard, and only the shown console', async () => {
    await showConsoles([vnc, shell]);
    expect(tabs().map((tab) => [tab.dataset.kind, tab.tagName])).toEqual([
      ['vnc', 'BUTTON'],
      ['shell', 'BUTTON'],
    ]);
    expect(shownPanels().map((panel) => panel.dataset.kind)).toEqual(['shell']);
    // A tab never shown has not opened its console yet.
    expect(fakeIpc.callsOf('consoles.open').map((target) => target.kind)).toEqual(['shell']);
  });

  it('keeps a hidden tab’s console open: switching tabs back and forth opens no console again', async () => {
    const consoles = await showConsoles([vnc, shell]);
    const [vncTab, shellTab] = mounted(consoles()).tabs;
    if (vncTab === undefined || shellTab === undefined) throw new Error('two tabs expected');
    consoles().activate(vncTab.id);
    await settle();
    expect(shownPanels().map((panel) => panel.dataset.kind)).toEqual(['vnc']);
    consoles().activate(shellTab.id);
    await settle();
    consoles().activate(vncTab.id);
    await settle();
    expect(shownPanels().map((panel) => panel.dataset.kind)).toEqual(['vnc']);
    expect(document.querySelectorAll('[data-testid="console-panel"]')).toHaveLength(2);
    expect(fakeIpc.callsOf('consoles.open').map((target) => target.kind)).toEqual(['shell', 'vnc']);
  });

  it('closes a tab from the keyboard with Delete', async () => {
    const consoles = await showConsoles([vnc, shell]);
    tabs()[0]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Delete', bubbles: true }));
    await flushPromises();
    expect(consoles().tabs.map((tab) => tab.target.kind)).toEqual(['shell']);
  });

  it('detaches through app.openWindow and closes the tab once the window opened', async () => {
    const consoles = await showConsoles([vnc]);
    fakeIpc.answer('app.openWindow', () => ({ opened: true }));
    await click('console-detach');
    await flushPromises();
    expect(fakeIpc.callsOf('app.openWindow')).toEqual([{ route: `/console/${labProfileId}/vnc/pve1/100` }]);
    expect(consoles().count).toBe(0);
  });

  it('opens the detached console itself where the host opens no window (the web host)', async () => {
    const consoles = await showConsoles([shell]);
    fakeIpc.answer('app.openWindow', () => ({ opened: false }));
    const open = vi.spyOn(window, 'open').mockReturnValue({} as Window);
    await click('console-detach');
    await flushPromises();
    expect(open).toHaveBeenCalledWith(`${location.origin}${location.pathname}#/console/${labProfileId}/shell/pve1?via=termproxy`, '_blank');
    expect(consoles().count).toBe(0);
  });

  it('keeps the tab when no window could open', async () => {
    const consoles = await showConsoles([vnc]);
    fakeIpc.answer('app.openWindow', () => ({ opened: false }));
    vi.spyOn(window, 'open').mockReturnValue(null);
    await click('console-detach');
    await flushPromises();
    expect(consoles().count).toBe(1);
  });
});
