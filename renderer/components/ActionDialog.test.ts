import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { mountInApp } from '../testing';
import ActionDialog from './ActionDialog.vue';

describe('ActionDialog', () => {
  it('is named by its title, a real heading, and has no heading without a level', async () => {
    await mountInApp(ActionDialog, { show: true, title: 'Delete this connection?', width: 480, 'data-testid': 'probe' });
    await flushPromises();
    const dialog = document.querySelector('[data-testid="probe"]');
    expect(dialog?.getAttribute('role')).toBe('dialog');
    const heading = document.getElementById(dialog?.getAttribute('aria-labelledby') ?? '');
    expect(heading?.tagName).toBe('H2');
    expect(heading?.textContent).toBe('Delete this connection?');
    // Naive UI's own card title is role="heading" without aria-level: a screen reader cannot place it.
    expect(dialog?.querySelectorAll('[role="heading"]:not([aria-level])')).toHaveLength(0);
  });

  it('offers a close button named in the current language', async () => {
    await mountInApp(ActionDialog, { show: true, title: 'T', width: 480, 'data-testid': 'probe' });
    await flushPromises();
    const close = document.querySelector('[data-testid="probe"] button[aria-label="Close"]');
    expect(close).not.toBeNull();
  });

  it('keeps its title and footer in a short window: the card is no taller than the window and its body scrolls', async () => {
    const props = { show: true, title: 'T', width: 480, action: { label: 'Go' }, 'data-testid': 'probe' };
    await mountInApp(defineComponent(() => () => h(ActionDialog, props, () => h('p', 'A long form'))));
    await flushPromises();
    const card = document.querySelector<HTMLElement>('[data-testid="probe"]');
    expect(card?.style.maxHeight).toBe('calc(100vh - 32px)');
    // Its stylesheet keeps the title and footer from shrinking: the one class it hangs on.
    expect(card?.classList.contains('action-dialog')).toBe(true);
    const body = card?.querySelector<HTMLElement>('.n-card-content');
    expect(body?.style.overflowY).toBe('auto');
    expect(body?.style.minHeight).toBe('0');
    expect(card?.querySelector('.n-card__footer')?.textContent).toContain('Go');
  });
});
