import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { byTestId, fakeIpc, mountInApp } from '../../testing';
import BalanceOverview from './BalanceOverview.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory, type FakeCluster } from './testing/inventory-host';
import { summaryRouter } from './testing/summary-host';

const gib = 1024 ** 3;
const otherProfileId = '22222222-2222-4222-8222-222222222222';

async function showAll(clusters: FakeCluster[]) {
  serveInventory(fakeIpc, clusters);
  const router = summaryRouter();
  await mountInApp(BalanceOverview, {}, [router]);
  await flushPromises();
  return router;
}

const sections = () => [...document.querySelectorAll<HTMLElement>('[data-testid="balance-cluster"]')];

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('BalanceOverview', () => {
  it('shows every cluster’s nodes and total side by side, then their shares, an empty cluster included', async () => {
    const router = await showAll([
      {
        feed: clusterFeed({ name: 'Production' }),
        items: [
          nodeItem('pve1', { maxcpu: 32, maxmem: 128 * gib }),
          nodeItem('pve2', { maxcpu: 32, maxmem: 128 * gib }),
          guestItem(100, { maxcpu: 4, maxmem: 8 * gib }),
        ],
      },
      { feed: clusterFeed({ profileId: otherProfileId, name: 'Empty' }), items: [] },
    ]);
    expect(sections().map((section) => section.dataset.profile)).toEqual([labProfileId, otherProfileId]);
    expect(sections().map((section) => section.querySelector('h3')?.textContent)).toEqual(['Production', 'Empty']);
    const rowKeys = (section: HTMLElement | undefined) =>
      [...(section?.querySelectorAll<HTMLElement>('[data-testid="balance-row"]') ?? [])].map((row) => row.dataset.key);
    expect(rowKeys(sections()[0])).toEqual(['node:pve1', 'node:pve2', 'total']);
    expect(rowKeys(sections()[1])).toEqual(['total']);
    expect(sections()[1]?.textContent).toContain('0 (capacity unknown)');
    const shares = [...byTestId('balance-shares').querySelectorAll<HTMLElement>('[data-testid="balance-share"]')];
    expect(shares[0]?.querySelector('td')?.textContent?.trim()).toBe('100%');
    expect(shares[1]?.querySelector('td')?.textContent?.trim()).toBe('0%');

    // Each row opens what it sums up: a node's summary, its cluster's.
    sections()[0]?.querySelector<HTMLElement>('[data-key="node:pve2"] a')?.click();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/inventory/${labProfileId}/node/pve2`);
    sections()[1]?.querySelector<HTMLElement>('[data-key="total"] a')?.click();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/inventory/${otherProfileId}`);
  });

  it('says when no cluster is connected', async () => {
    await showAll([]);
    expect(byTestId('balance-view').textContent).toContain('No cluster is connected.');
  });
});
