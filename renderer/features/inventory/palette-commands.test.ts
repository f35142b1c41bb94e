import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, type ComputedRef } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { PaletteCommand } from '../../platform/palette';
import { fakeIpc, mountInApp } from '../../testing';
import { useInventoryStore } from './inventory-store';
import { useInventoryPaletteCommands } from './palette-commands';
import PowerActionsHost from './PowerActionsHost.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from './testing/inventory-host';

const stub = { render: () => null };
let commands: ComputedRef<PaletteCommand[]>;
let router: Router;

const Harness = defineComponent(() => {
  void useInventoryStore().start();
  commands = useInventoryPaletteCommands();
  return () => h(PowerActionsHost);
});

async function mountPalette(items = [nodeItem('pve1'), guestItem(100, { name: 'web-01', status: 'stopped' }), guestItem(101, { type: 'lxc', id: 'lxc/101' })]) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items }]);
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'inventory', component: stub },
      { path: '/:profileId/guest/:vmid', name: 'inventory-guest', component: stub },
      { path: '/:profileId/node/:node', name: 'inventory-node', component: stub },
    ],
  });
  await router.push('/');
  await mountInApp(Harness, {}, [router]);
  await flushPromises();
}

const run = async (label: string) => {
  const command = commands.value.find((candidate) => candidate.label === label);
  if (command === undefined) throw new Error(`no command "${label}" in ${commands.value.map((candidate) => candidate.label).join(', ')}`);
  command.run();
  await flushPromises();
};

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('useInventoryPaletteCommands', () => {
  it('goes to any guest (containers too) by its name and id; nodes are left to the tree', async () => {
    await mountPalette();
    expect(commands.value.map((command) => command.label)).toEqual(['Go to the inventory', 'Go to guest web-01 (100)', 'Go to guest vm-101 (101)']);
    await run('Go to guest web-01 (100)');
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-guest', params: { profileId: labProfileId, vmid: '100' } });
  });

  it('offers the power actions of the guest the current view shows, and runs them', async () => {
    fakeIpc.answer('inventory.power', () => []);
    await mountPalette();
    expect(commands.value.some((command) => command.id.startsWith('inventory.power.'))).toBe(false);
    await router.push({ name: 'inventory-guest', params: { profileId: labProfileId, vmid: '100' } });
    await flushPromises();
    expect(commands.value.filter((command) => command.id.startsWith('inventory.power.')).map((command) => command.label)).toEqual(['Start guest web-01 (100)']);
    await run('Start guest web-01 (100)');
    expect(fakeIpc.callsOf('inventory.power')).toEqual([{ action: 'start', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] }]);
  });

  it('keeps one command per guest for 10 000 guests, cheap to rebuild', async () => {
    const many = [nodeItem('pve1'), ...Array.from({ length: 10_000 }, (_, index) => guestItem(100 + index))];
    await mountPalette(many);
    const started = performance.now();
    expect(commands.value).toHaveLength(10_001);
    console.info(`palette commands for 10 000 guests built in ${(performance.now() - started).toFixed(0)} ms`);
  });
});
