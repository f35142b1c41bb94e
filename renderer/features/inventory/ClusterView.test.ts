import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { defaultSettings } from '../../../shared/domain/settings';
import { IpcError } from '../../../shared/ipc/errors';
import { byTestId, exists, fakeIpc, mountInApp } from '../../testing';
import { connectionList, profileView } from '../connections/testing';
import ClusterView from './ClusterView.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory, type FakeCluster } from './testing/inventory-host';
import { summaryRouter } from './testing/summary-host';

const gib = 1024 ** 3;
const otherProfileId = '22222222-2222-4222-8222-222222222222';
const labItems: InventoryItem[] = [
  nodeItem('pve1', { maxcpu: 16, maxmem: 64 * gib }),
  nodeItem('pve2', { status: 'offline' }),
  guestItem(100, { maxcpu: 4, maxmem: 8 * gib, mem: 4 * gib }),
  guestItem(101, { status: 'stopped', maxcpu: 2, maxmem: 4 * gib }),
];

async function showCluster(clusters: FakeCluster[] = [{ feed: clusterFeed({ clusterName: 'lab-cluster' }), items: labItems }]) {
  serveInventory(fakeIpc, clusters);
  const router = summaryRouter();
  await mountInApp(ClusterView, { profileId: labProfileId }, [router]);
  await flushPromises();
  return router;
}

const text = (testId: string) => byTestId(testId).textContent ?? '';
const nodeStates = () => [...document.querySelectorAll<HTMLElement>('[data-testid="cluster-node"]')].map((row) => [row.dataset.node, row.dataset.state]);
const balanceRow = (key: string) => document.querySelector<HTMLElement>(`[data-testid="balance-row"][data-key="${key}"]`)?.textContent ?? '';

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  fakeIpc.answer('settings.get', () => structuredClone(defaultSettings));
});

describe('ClusterView', () => {
  it('shows the quorum, each node’s state and address, the balance of its nodes and its guests', async () => {
    fakeIpc.answer('inventory.clusterSummary', () => ({
      profileId: labProfileId,
      clusterName: 'lab-cluster',
      quorate: true,
      nodes: [
        { name: 'pve2', online: false, ip: '192.0.2.2' },
        { name: 'pve1', online: true, ip: '192.0.2.1' },
      ],
    }));
    const router = await showCluster();
    expect(byTestId('cluster-summary').dataset.quorate).toBe('true');
    expect(text('cluster-quorum')).toBe('quorate');
    expect(text('cluster-nodes-online')).toBe('1 of 2 online');
    expect(nodeStates()).toEqual([
      ['pve1', 'online'],
      ['pve2', 'offline'],
    ]);
    expect(byTestId('cluster-nodes').textContent).toContain('192.0.2.1');
    expect(balanceRow('node:pve1')).toContain('1 of 2');
    expect(balanceRow('node:pve1')).toContain('6 of 16 (38%)');
    expect(balanceRow('node:pve1')).toContain('12\u00a0GiB of 64\u00a0GiB (19%)');
    expect(balanceRow('node:pve1')).toContain('4\u00a0GiB of 64\u00a0GiB (6%)');
    expect(balanceRow('node:pve2')).toContain('offline');
    expect(text('balance-offline')).toBe('1 node offline, its capacity not counted');
    // One cluster connected: no shares to compare, no link to all clusters.
    expect(exists('balance-shares')).toBe(false);
    expect(exists('open-balance')).toBe(false);
    expect(byTestId('inventory-list').getAttribute('aria-rowcount')).toBe('3');

    document.querySelector<HTMLElement>('[data-node="pve1"] a')?.click();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/inventory/${labProfileId}/node/pve1`);
  });

  it('says a cluster without quorum refuses changes', async () => {
    fakeIpc.answer('inventory.clusterSummary', () => ({ profileId: labProfileId, quorate: false, nodes: [{ name: 'pve1', online: true }] }));
    await showCluster();
    expect(text('cluster-quorum')).toContain('not quorate: the cluster refuses changes');
  });

  it('without Sys.Audit, says the quorum needs it and shows the node states the inventory has', async () => {
    fakeIpc.answer('inventory.clusterSummary', () => {
      throw new IpcError('PERMISSION_DENIED', 'Permission check failed (/, Sys.Audit)');
    });
    await showCluster();
    expect(text('quorum-needs-audit')).toContain('Sys.Audit');
    expect(exists('summary-error')).toBe(false);
    expect(text('cluster-quorum')).toBe('unknown');
    expect(nodeStates()).toEqual([
      ['pve1', 'online'],
      ['pve2', 'offline'],
    ]);
  });

  it('says what to do when the cluster does not answer', async () => {
    fakeIpc.answer('inventory.clusterSummary', () => {
      throw new IpcError('TIMEOUT', '');
    });
    await showCluster();
    expect(byTestId('summary-error').dataset.code).toBe('TIMEOUT');
    expect(text('summary-error')).toContain('The operation took too long.');
    expect(text('summary-error')).toContain('This view asks again every few seconds.');
  });

  it.each([
    { known: 'its profile’s name', profiles: [profileView({ id: labProfileId, name: 'Production' })], title: 'Production', guests: 'Guests of Production' },
    { known: 'nothing', profiles: [], title: 'This cluster', guests: 'Guests of this cluster' },
  ])('names a disconnected cluster, whose profile says $known, without its profile id', async ({ profiles, title, guests }) => {
    fakeIpc.answer('inventory.clusterSummary', () => {
      throw new IpcError('NOT_FOUND', 'This cluster is not connected (any more). Connect to it to see its inventory.');
    });
    fakeIpc.answer('connections.list', () => connectionList(profiles));
    await showCluster([]);
    const summary = byTestId('cluster-summary');
    expect(summary.querySelector('h1')?.textContent).toBe(title);
    expect([...summary.querySelectorAll('h2, h3')].map((heading) => heading.textContent)).toEqual(['Balance', title, guests]);
    expect(summary.textContent).not.toContain(labProfileId);
  });

  it('with two clusters, shows each one’s share of capacity and load and links to all of them', async () => {
    fakeIpc.answer('inventory.clusterSummary', ({ profileId }) => ({ profileId, quorate: true, nodes: [] }));
    const router = await showCluster([
      {
        feed: clusterFeed({ name: 'Production' }),
        items: [nodeItem('pve1', { maxcpu: 48, maxmem: 192 * gib }), guestItem(100, { maxcpu: 8, maxmem: 16 * gib, mem: 10 * gib })],
      },
      {
        feed: clusterFeed({ profileId: otherProfileId, name: 'Pre-production' }),
        items: [nodeItem('pve1', { maxcpu: 16, maxmem: 64 * gib }), guestItem(100, { maxcpu: 8, maxmem: 16 * gib, mem: 30 * gib })],
      },
    ]);
    const shares = [...document.querySelectorAll<HTMLElement>('[data-testid="balance-share"]')];
    expect(shares.map((row) => row.dataset.profile)).toEqual([labProfileId, otherProfileId]);
    const cells = (row: HTMLElement | undefined) => [...(row?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent?.trim());
    expect(cells(shares[0])).toEqual(['75%', '75%', '50%', '25%', '50%']);
    expect(cells(shares[1])).toEqual(['25%', '25%', '50%', '75%', '50%']);
    // This view details its own cluster only.
    expect(document.querySelectorAll('[data-testid="balance-cluster"]')).toHaveLength(1);
    byTestId('open-balance').click();
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('inventory-balance');
  });

  it('renders hostile node and cluster names as text', async () => {
    fakeIpc.answer('inventory.clusterSummary', () => ({
      profileId: labProfileId,
      clusterName: '<img src=x onerror=alert(1)>',
      nodes: [{ name: '<b>pve</b>\u202E', online: true }],
    }));
    await showCluster([{ feed: clusterFeed({ name: '<script>alert(1)</script>' }), items: [] }]);
    const view = byTestId('cluster-summary');
    expect(view.querySelectorAll('img, script, b')).toHaveLength(0);
    expect(view.querySelector('h1')?.textContent).toBe('<script>alert(1)</script>');
    expect(view.textContent).toContain('<b>pve</b>');
    expect(view.textContent).not.toContain('\u202E');
  });
});
