import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { exists, fakeIpc, mountInApp } from '../testing';
import { connectionList, profileView } from '../features/connections/testing';
import ResourceTreePane from './ResourceTreePane.vue';

const router = () => createRouter({ history: createMemoryHistory(), routes: [{ path: '/', name: 'connections', component: { render: () => null } }] });

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('ResourceTreePane', () => {
  it('shows the empty state until there is a profile', async () => {
    fakeIpc.answer('connections.list', () => connectionList([]));
    await mountInApp(ResourceTreePane, {}, [router()]);
    expect(exists('tree-empty')).toBe(true);
  });

  it('lists each cluster at the top level with its state, and follows pushed changes', async () => {
    const lab = profileView({ name: 'Lab', state: { status: 'connected', since: '2025-01-01T00:00:00Z' } });
    const hostile = profileView({ id: '55555555-5555-4555-8555-555555555555', name: `<script>x</script>${'y'.repeat(10_000)}` });
    fakeIpc.answer('connections.list', () => connectionList([lab, hostile]));
    await mountInApp(ResourceTreePane, {}, [router()]);
    const entries = () => [...document.querySelectorAll('.cluster')];
    expect(entries().map((entry) => entry.querySelector('[data-testid="tree-cluster-status"]')?.textContent)).toEqual(['Connected', 'Disconnected']);
    expect(entries()[0]?.textContent).toContain('Lab');
    expect(document.querySelector('.tree-pane script')).toBeNull();
    expect(entries()[1]?.querySelector('.cluster-name')?.textContent).toHaveLength(120);
    fakeIpc.emit('connections.changed', connectionList([{ ...lab, state: { status: 'offline', since: '2025-01-01T00:01:00Z' } }]));
    await flushPromises();
    expect(entries().map((entry) => entry.querySelector('[data-testid="tree-cluster-status"]')?.textContent)).toEqual(['Offline']);
  });
});
