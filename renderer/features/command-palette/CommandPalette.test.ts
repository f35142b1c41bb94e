import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { defaultSettings } from '../../../shared/domain/settings';
import { createAppRouter } from '../../router';
import { fakeIpc, mountInApp } from '../../testing';
import { ResourceTree } from '../inventory';
import { clusterFeed, guestItem, labProfileId, serveInventory } from '../inventory/testing/inventory-host';
import CommandPalette from './CommandPalette.vue';

beforeEach(() => {
  fakeIpc.reset();
  fakeIpc.answer('settings.get', () => defaultSettings);
  fakeIpc.answer('settings.update', (patch) => ({ ...defaultSettings, ...patch }));
});

function lastPaletteInput(): HTMLInputElement {
  const inputs = document.querySelectorAll<HTMLInputElement>('[data-testid="palette-input"] input');
  const input = inputs[inputs.length - 1];
  if (input === undefined) throw new Error('the palette has no input');
  return input;
}

async function mountPalette() {
  const show = ref(true);
  const router = createAppRouter();
  const wrapper = await mountInApp(CommandPalette, { show: true, 'onUpdate:show': (value: boolean) => (show.value = value) }, [router]);
  return { wrapper, show, router };
}

async function typeQuery(text: string): Promise<void> {
  const input = lastPaletteInput();
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
}

const optionLabels = (): (string | undefined)[] => [...document.querySelectorAll('[role="option"]')].map((node) => node.textContent?.trim());

describe('CommandPalette', () => {
  it("draws at most 50 of the 20 000 guests' commands, says how many more there are, and narrows to the one typed", async () => {
    const guests = Array.from({ length: 20_000 }, (_, i) => guestItem(10_000 + i, { name: `guest-${i}` }));
    serveInventory(fakeIpc, [{ feed: clusterFeed(), items: guests }]);
    // The shell's resource tree starts the inventory, as in the app; the palette only reads it.
    const Shell = defineComponent(() => () => [h(ResourceTree, { pattern: '', grouping: 'nodes' }), h(CommandPalette, { show: true })]);
    const router = createAppRouter();
    await mountInApp(Shell, {}, [router]);
    await flushPromises();

    expect(optionLabels()).toHaveLength(50);
    expect(optionLabels()).toContain('Go to guest guest-0 (10000)');
    const more = document.querySelector('[data-testid="palette-more"]')?.textContent?.trim() ?? '';
    expect(more).toMatch(/^[\d,]+ more: type to narrow$/);
    expect(Number(more.replace(/\D/g, '')) + 50).toBeGreaterThan(20_000);

    await typeQuery('guest-1234');
    expect(optionLabels()).toEqual(['Go to guest guest-1234 (11234)', ...Array.from({ length: 10 }, (_, i) => `Go to guest guest-1234${i} (2234${i})`)]);
    expect(document.querySelector('[data-testid="palette-more"]')).toBeNull();

    await typeQuery('guest-12345');
    expect(optionLabels()).toEqual(['Go to guest guest-12345 (22345)']);
    lastPaletteInput().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    await router.isReady();
    expect(router.currentRoute.value).toMatchObject({ name: 'inventory-guest', params: { profileId: labProfileId, vmid: '22345' } });
  });

  it('filters as you type and runs the highlighted command with Enter', async () => {
    const { show } = await mountPalette();
    const input = lastPaletteInput();
    await typeQuery('dark');
    expect(optionLabels()).toEqual(['Use the dark theme']);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    expect(fakeIpc.callsOf('settings.update')).toEqual([{ theme: 'dark' }]);
    expect(show.value).toBe(false);
  });

  it('moves the selection with the arrow keys and wraps around', async () => {
    const { router } = await mountPalette();
    const field = lastPaletteInput();
    await typeQuery('go');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    await flushPromises();
    const selected = document.querySelectorAll('[role="option"][aria-selected="true"]');
    expect(selected[selected.length - 1]?.textContent?.trim()).toBe('Go to connections');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    await router.isReady();
    expect(router.currentRoute.value.name).toBe('connections');
    expect(fakeIpc.callsOf('settings.update')).toEqual([]);
  });

  it('tells a screen reader which command the arrows chose: a named combobox over a named list', async () => {
    await mountPalette();
    const field = lastPaletteInput();
    await typeQuery('theme');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await flushPromises();
    expect(field.getAttribute('role')).toBe('combobox');
    const list = document.getElementById(field.getAttribute('aria-controls') ?? '');
    expect(list?.getAttribute('role')).toBe('listbox');
    expect(list?.getAttribute('aria-label')).toBe('Commands');
    const active = document.getElementById(field.getAttribute('aria-activedescendant') ?? '');
    expect(active?.getAttribute('aria-selected')).toBe('true');
    expect(active?.textContent?.trim()).toBe('Use the dark theme');
    expect(field.closest('[role="dialog"]')?.getAttribute('aria-label')).toBe('Command palette');
  });
});
