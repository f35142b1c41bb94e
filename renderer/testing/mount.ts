import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { NDialogProvider, NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach } from 'vitest';
import { defineComponent, h, type Component, type Plugin } from 'vue';
import { i18n } from '../i18n';
import { ipcPlugin } from '../platform/use-ipc';
import { fakeIpc } from './fake-ipc';
import type { IpcClient } from '../../shared/ipc/client';

// Each test starts from an empty page: no dialog or timer of the previous one left behind.
enableAutoUnmount(afterEach);

/**
 * Mounts a component the way the app does: inside the message and dialog providers, with Pinia,
 * the catalogues and an IPC client (the shared `fakeIpc` unless `ipc` is given).
 */
export async function mountInApp(component: Component, props: Record<string, unknown> = {}, plugins: Plugin[] = [], ipc: IpcClient = fakeIpc.client) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const Host = defineComponent(() => () => h(NMessageProvider, null, () => h(NDialogProvider, null, () => h(component, props))));
  const wrapper = mount(Host, {
    attachTo: document.body,
    global: { plugins: [ipcPlugin(ipc), pinia, i18n, ...plugins], stubs: { transition: false, 'transition-group': false } },
  });
  await flushPromises();
  return wrapper;
}

/** Modals are teleported to the body: tests look there. */
export function byTestId(testId: string): HTMLElement {
  const found = document.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`);
  const last = found[found.length - 1];
  if (last === undefined) throw new Error(`nothing with data-testid=${testId}`);
  return last;
}

export function exists(testId: string): boolean {
  return document.querySelector(`[data-testid="${testId}"]`) !== null;
}

export async function type(testId: string, text: string): Promise<void> {
  const root = byTestId(testId);
  const input = root instanceof HTMLInputElement ? root : root.querySelector('input');
  if (input === null) throw new Error(`no input in ${testId}`);
  input.value = text;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('change'));
  await flushPromises();
}

export async function click(testId: string): Promise<void> {
  byTestId(testId).click();
  await flushPromises();
}

/** Lets leave transitions finish (happy-dom reports no durations, so Vue ends them on the next frames). */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await flushPromises();
}
