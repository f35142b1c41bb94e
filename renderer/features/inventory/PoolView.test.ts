import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/domain/settings';
import { byTestId, exists, fakeIpc, mountInApp } from '../../testing';
import PoolView from './PoolView.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from './testing/inventory-host';
import { summaryRouter } from './testing/summary-host';

async function showPool(pool: string, comment?: string) {
  fakeIpc.answer('inventory.poolSummary', ({ profileId }) => ({
    profileId,
    pool,
    audited: comment !== undefined,
    ...(comment !== undefined ? { comment } : {}),
  }));
  serveInventory(fakeIpc, [
    {
      feed: clusterFeed(),
      items: [
        nodeItem('pve1'),
        { id: '/pool/students', type: 'pool', pool: 'students' },
        guestItem(100, { pool: 'students' }),
        guestItem(101, { pool: 'students' }),
        guestItem(102, { pool: 'staff' }),
        guestItem(103),
      ],
    },
  ]);
  await mountInApp(PoolView, { profileId: labProfileId, pool }, [summaryRouter()]);
  await flushPromises();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  fakeIpc.answer('settings.get', () => structuredClone(defaultSettings));
});

describe('PoolView', () => {
  it('lists the pool’s members only', async () => {
    await showPool('students');
    expect(byTestId('pool-view').querySelector('h1')?.textContent).toBe('Pool students');
    expect(byTestId('inventory-list').getAttribute('aria-rowcount')).toBe('3');
    expect(exists('summary-error')).toBe(false);
  });

  it('shows the pool’s comment as inert text, and nothing when the user may not audit the pool', async () => {
    await showPool('students', '<img src=x onerror=alert(1)> VMs of the \u0007students');
    expect(byTestId('pool-comment').textContent).toBe('Comment <img src=x onerror=alert(1)> VMs of the \uFFFDstudents');
    expect(byTestId('pool-comment').querySelector('img')).toBeNull();
    document.body.innerHTML = '';
    await showPool('students');
    expect(exists('pool-comment')).toBe(false);
  });

  it('says a pool the inventory does not have may be gone or hidden', async () => {
    await showPool('ghosts');
    expect(byTestId('summary-error').textContent).toContain('The pool ghosts is not in the inventory of Lab');
  });

  it('renders a hostile pool name as text, and does not ask main about an id PVE could not have made', async () => {
    await showPool('<img src=x onerror=alert(1)>\u202E');
    expect(byTestId('pool-view').querySelector('img')).toBeNull();
    expect(byTestId('pool-view').querySelector('h1')?.textContent).toBe('Pool <img src=x onerror=alert(1)>');
    expect(fakeIpc.callsOf('inventory.poolSummary')).toEqual([]);
  });
});
