import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { defaultSettings } from '../../../shared/domain/settings';
import { createAppRouter } from '../../router';
import { fakeIpc, mountInApp } from '../../testing';
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
    expect(fakeIpc.callsOf('settings.update')).toEqual([{ theme: 'dark' }]);
    expect(show.value).toBe(false);
  });

  it('moves the selection with the arrow keys and wraps around', async () => {
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
    expect(fakeIpc.callsOf('settings.update')).toEqual([]);
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
