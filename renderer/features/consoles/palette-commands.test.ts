import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type ComputedRef } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { PaletteCommand } from '../../platform/palette';
import { fakeIpc, mountInApp } from '../../testing';
import { useInventoryStore } from '../inventory';
import { clusterFeed, guestItem, labProfileId, serveInventory } from '../inventory/testing';
import { useConsolesStore } from './consoles-store';
import { useConsolesPaletteCommands } from './palette-commands';

async function paletteAt(path: string) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [guestItem(100), guestItem(101)] }]);
  const routes = ['/inventory', '/inventory/:profileId/guest/:vmid', '/consoles'].map((routePath, index) => ({
    path: routePath,
    name: ['inventory', 'inventory-guest', 'consoles'][index],
    component: { render: () => null },
  }));
  const router = createRouter({ history: createMemoryHistory(), routes });
  await router.push(path);
  const found: { commands?: ComputedRef<PaletteCommand[]>; consoles?: ReturnType<typeof useConsolesStore> } = {};
  const Page = defineComponent(() => {
    void useInventoryStore().start();
    found.commands = useConsolesPaletteCommands();
    found.consoles = useConsolesStore();
    return () => h('div');
  });
  await mountInApp(Page, {}, [router]);
  await flushPromises();
  const labels = () => found.commands?.value.map((command) => command.label) ?? [];
  return { router, found, labels };
}

beforeEach(() => {
  fakeIpc.reset();
});

describe('consoles palette commands', () => {
  it("offers the shown guest's console (that guest's only) and the open consoles", async () => {
    const { labels } = await paletteAt(`/inventory/${labProfileId}/guest/101`);
    expect(labels()).toEqual(['Open console of vm-101 (101)', 'Open consoles']);
  });

  it('offers only the open consoles where no guest is shown', async () => {
    const { labels } = await paletteAt('/inventory');
    expect(labels()).toEqual(['Open consoles']);
  });

  it("opens the guest's VNC console in a tab and shows the consoles", async () => {
    const { router, found } = await paletteAt(`/inventory/${labProfileId}/guest/100`);
    found.commands?.value[0]?.run();
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('consoles'));
    expect(found.consoles?.tabs.map((tab) => tab.target)).toEqual([{ kind: 'vnc', profileId: labProfileId, node: 'pve1', vmid: 100 }]);
  });
});
