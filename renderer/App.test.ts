import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { defaultSettings } from '../shared/domain/settings';
import App from './App.vue';
import { routes } from './router';
import { connectionList } from './features/connections/testing';
import { exists, fakeIpc, mountInApp } from './testing';

const Probe = defineComponent(() => () => h('p', { 'data-testid': 'probe' }, 'the view'));

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [...routes, { path: '/in-shell', component: Probe }, { path: '/alone', component: Probe, meta: { layout: 'bare' } }],
  });
  await router.push(path);
  return mountInApp(App, {}, [router]);
}

beforeEach(() => {
  fakeIpc.reset();
  fakeIpc.answer('settings.get', () => defaultSettings);
  fakeIpc.answer('connections.list', () => connectionList([]));
});

describe('App layouts', () => {
  it('frames a route in the three-pane shell unless it says otherwise', async () => {
    await mountAt('/in-shell');
    expect(exists('probe')).toBe(true);
    expect(exists('tree-empty')).toBe(true);
    expect(exists('bare-view')).toBe(false);
  });

  it('keeps the shell and its menu for an address no route matches, as the launch URL with its token', async () => {
    await mountAt('/token=0123abcd');
    expect(exists('tree-empty')).toBe(true);
  });

  it('renders a bare route alone: no top bar, tree or task pane around it', async () => {
    await mountAt('/alone');
    expect(exists('probe')).toBe(true);
    expect(exists('bare-view')).toBe(true);
    expect(exists('tree-empty')).toBe(false);
    expect(document.querySelector('.shell')).toBeNull();
  });
});

describe('App settings', () => {
  it('follows a change of theme and language made in another window, in a bare window too', async () => {
    await mountAt('/alone');
    await flushPromises();
    expect(document.documentElement.dataset.theme).toBe('light');
    fakeIpc.emit('settings.changed', { ...defaultSettings, theme: 'dark', locale: 'fr' });
    await flushPromises();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.lang).toBe('fr');
  });
});
