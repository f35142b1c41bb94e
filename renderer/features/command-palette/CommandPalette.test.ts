import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { NMessageProvider } from 'naive-ui';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { defaultSettings } from '../../../shared/domain/settings';
import type { IpcBridge } from '../../../shared/ipc/bridge';

// The page's window.api, as the Electron preload would provide it: records what the palette asks the host.
const invoke = vi.fn<IpcBridge['invoke']>(async (_method, input) => ({ ok: true, result: { ...defaultSettings, ...(input as object) } }));

// Each test sees only its own palette: ids of separate apps would collide.
enableAutoUnmount(afterEach);

beforeAll(() => {
  window.api = { invoke, subscribe: () => () => undefined };
});

function lastPaletteInput(): HTMLInputElement {
  const inputs = document.querySelectorAll<HTMLInputElement>('[data-testid="palette-input"] input');
  const input = inputs[inputs.length - 1];
  if (input === undefined) throw new Error('the palette has no input');
  return input;
}

async function mountPalette() {
  const { default: CommandPalette } = await import('./CommandPalette.vue');
  const { i18n } = await import('../../i18n');
  const { router } = await import('../../router');
  const show = ref(true);
  const Host = defineComponent(
    () => () => h(NMessageProvider, null, () => h(CommandPalette, { show: show.value, 'onUpdate:show': (value: boolean) => (show.value = value) })),
  );
  const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [createPinia(), i18n, router] } });
  await flushPromises();
  return { wrapper, show, router };
}

describe('CommandPalette', () => {
  it('filters as you type and runs the highlighted command with Enter', async () => {
    const { show } = await mountPalette();
    const input = lastPaletteInput();
    input.value = 'dark';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    const options = [...document.querySelectorAll('[role="option"]')].map((node) => node.textContent?.trim());
    expect(options).toEqual(['Use the dark theme']);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    expect(invoke).toHaveBeenCalledWith('settings.update', { theme: 'dark' });
    expect(show.value).toBe(false);
  });

  it('moves the selection with the arrow keys and wraps around', async () => {
    invoke.mockClear();
    const { router } = await mountPalette();
    const field = lastPaletteInput();
    field.value = 'go';
    field.dispatchEvent(new Event('input'));
    await flushPromises();
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    await flushPromises();
    const selected = document.querySelectorAll('[role="option"][aria-selected="true"]');
    expect(selected[selected.length - 1]?.textContent?.trim()).toBe('Go to connections');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    await router.isReady();
    expect(router.currentRoute.value.name).toBe('connections');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('tells a screen reader which command the arrows chose: a named combobox over a named list', async () => {
    await mountPalette();
    const field = lastPaletteInput();
    field.value = 'theme';
    field.dispatchEvent(new Event('input'));
    await flushPromises();
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
