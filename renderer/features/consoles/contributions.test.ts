import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { InventoryItem } from '../../../shared/domain/inventory';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { byTestId, click, exists, fakeIpc, mountInApp } from '../../testing';
import { GuestPageHeader, useInventoryStore } from '../inventory';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../inventory/testing';
import { useConsolesContributions } from './contributions';
import { useConsolesStore } from './consoles-store';

/** The store the page set up (its setup has run once mountInApp returned). */
function mounted<T>(store: T | undefined): T {
  if (store === undefined) throw new Error('the page did not set up');
  return store;
}

function pagesRouter() {
  const routes = [
    { name: 'inventory-guest', path: '/inventory/:profileId/guest/:vmid' },
    { name: 'consoles', path: '/consoles' },
  ];
  return createRouter({ history: createMemoryHistory(), routes: routes.map((route) => ({ ...route, component: { render: () => null } })) });
}

/** The guest page header with the consoles contributed beside it, as ConsolesHost does in the shell. */
async function showGuest(item: InventoryItem, config: Record<string, string>, permissions?: PermissionMap) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [nodeItem('pve1'), item], ...(permissions === undefined ? {} : { permissions }) }]);
  fakeIpc.answer('operations.config', () => ({ digest: 'd', running: true, entries: Object.entries(config).map(([key, value]) => ({ key, value })) }));
  const router = pagesRouter();
  await router.push(`/inventory/${labProfileId}/guest/${item.vmid}`);
  let consoles: ReturnType<typeof useConsolesStore> | undefined;
  const Page = defineComponent(() => {
    useConsolesContributions();
    void useInventoryStore().start();
    consoles = useConsolesStore();
    return () => h(GuestPageHeader, { profileId: labProfileId, vmid: String(item.vmid) });
  });
  await mountInApp(Page, {}, [router]);
  await flushPromises();
  return { router, consoles: () => mounted(consoles) };
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('consoles in the inventory', () => {
  it('offers VNC and, from the config, serial but not SPICE to a guest with a std display and serial0', async () => {
    await showGuest(guestItem(100), { vga: 'std,clipboard=vnc', serial0: 'socket' });
    expect(exists('guest-action-console-vnc')).toBe(true);
    expect(exists('guest-action-console-serial')).toBe(true);
    expect(exists('guest-action-console-spice')).toBe(false);
    expect(exists('guest-action-remote-viewer')).toBe(false);
  });

  it('offers SPICE and remote-viewer to a qxl guest, and no serial console without serial0', async () => {
    await showGuest(guestItem(101, { node: 'pve1' }), { vga: 'qxl' });
    expect(exists('guest-action-console-spice')).toBe(true);
    expect(exists('guest-action-remote-viewer')).toBe(true);
    expect(exists('guest-action-console-serial')).toBe(false);
  });

  it('opens a tab for the console and shows the consoles page', async () => {
    const { router, consoles } = await showGuest(guestItem(100), { vga: 'std' }, { '/vms/100': { 'VM.Audit': 0, 'VM.Console': 0 } });
    await click('guest-action-console-vnc');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('consoles'));
    expect(consoles().tabs.map((tab) => [tab.target, tab.title])).toEqual([
      [{ kind: 'vnc', profileId: labProfileId, node: 'pve1', vmid: 100 }, 'vm-100 (100)'],
    ]);
  });

  it('disables the consoles, naming VM.Console, for a user without it', async () => {
    await showGuest(guestItem(100), { vga: 'std', serial0: 'socket' }, { '/vms/100': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 } });
    const vnc = byTestId('guest-action-console-vnc') as HTMLButtonElement;
    expect(vnc.disabled).toBe(true);
    expect(vnc.title).toContain('VM.Console');
  });
});
