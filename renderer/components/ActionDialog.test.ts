import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
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
});
