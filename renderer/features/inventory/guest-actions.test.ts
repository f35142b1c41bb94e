import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, effectScope, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { byTestId, exists, fakeIpc, mountInApp } from '../../testing';
import {
  clusterActions,
  contributeClusterActions,
  contributeGuestActions,
  contributeNodeActions,
  guestActionMenuOptions,
  guestActions,
  nodeActions,
  runGuestMenuAction,
} from './guest-actions';
import GuestPageHeader from './GuestPageHeader.vue';
import type { InventoryEntry } from './inventory-store';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from './testing/inventory-host';

const entry: InventoryEntry = { key: `${labProfileId}:qemu/100`, profileId: labProfileId, item: guestItem(100) };

/** A router with the guest summary and only the operations pages named, each an empty page. */
function guestRouter(pages: string[]) {
  const routes = [
    { name: 'inventory-guest', path: '/inventory/:profileId/guest/:vmid' },
    ...pages.map((page) => ({ name: `operations-guest-${page}`, path: `/operations/:profileId/guest/:vmid/${page}` })),
  ];
  return createRouter({ history: createMemoryHistory(), routes: routes.map((route) => ({ ...route, component: { render: () => null } })) });
}

async function showHeader(options: { pages: string[]; permissions?: PermissionMap; contribute?: () => void }) {
  serveInventory(fakeIpc, [
    { feed: clusterFeed(), items: [nodeItem('pve1'), guestItem(100)], ...(options.permissions === undefined ? {} : { permissions: options.permissions }) },
  ]);
  const router = guestRouter(options.pages);
  await router.push(`/inventory/${labProfileId}/guest/100`);
  // The contributing feature mounts beside the header, as OperationsHost does in the shell.
  const Page = defineComponent(() => {
    options.contribute?.();
    return () => h(GuestPageHeader, { profileId: labProfileId, vmid: '100' });
  });
  const wrapper = await mountInApp(Page, {}, [router]);
  await flushPromises();
  return { wrapper, router };
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('contributed guest and node actions', () => {
  it('lists what each feature contributes, in order, and withdraws it with the scope that contributed it', () => {
    const scope = effectScope();
    const run = vi.fn();
    scope.run(() => {
      contributeGuestActions((target) => [{ key: 'clone', label: `Clone ${target.item.vmid}`, testId: 'guest-action-clone', run, enabled: true }]);
      contributeGuestActions(() => [{ key: 'delete', label: 'Delete', testId: 'guest-action-delete', run, enabled: false, reason: 'no', danger: true }]);
      contributeNodeActions((node) => [{ key: 'evacuate', label: `Evacuate ${node.node}`, testId: 'node-action-evacuate', run, enabled: true }]);
      contributeClusterActions((profileId) => [{ key: 'create-vm', label: `Create in ${profileId}`, testId: 'cluster-action-create-vm', run, enabled: true }]);
    });
    expect(guestActions(entry).map((action) => action.label)).toEqual(['Clone 100', 'Delete']);
    expect(nodeActions({ profileId: labProfileId, node: 'pve1' }).map((action) => action.label)).toEqual(['Evacuate pve1']);
    expect(clusterActions('lab').map((action) => action.label)).toEqual(['Create in lab']);

    const menu = guestActionMenuOptions(entry);
    expect(menu.map((option) => option.key)).toEqual(['contributed-divider', 'action-clone', 'action-delete']);
    expect(menu[2]).toMatchObject({ disabled: true, props: { title: 'no', 'aria-disabled': true } });

    expect(runGuestMenuAction(entry, 'action-clone')).toBe(true);
    expect(runGuestMenuAction(entry, 'action-delete')).toBe(true);
    expect(run).toHaveBeenCalledTimes(1);
    expect(runGuestMenuAction(entry, 'power-start')).toBe(false);

    scope.stop();
    expect(guestActions(entry)).toEqual([]);
    expect(nodeActions({ profileId: labProfileId, node: 'pve1' })).toEqual([]);
    expect(clusterActions('lab')).toEqual([]);
  });

  it('shows them as buttons in the guest’s page header, disabled with their reason', async () => {
    const run = vi.fn();
    await showHeader({
      pages: [],
      contribute: () => {
        contributeGuestActions(() => [
          { key: 'clone', label: 'Clone…', testId: 'guest-action-clone', run, enabled: true },
          { key: 'delete', label: 'Delete…', testId: 'guest-action-delete', run, enabled: false, reason: 'You lack VM.Allocate' },
        ]);
      },
    });
    expect(byTestId('guest-page-header').querySelector('h1')?.textContent).toBe('vm-100 (100)');
    byTestId('guest-action-clone').click();
    expect(run).toHaveBeenCalledTimes(1);
    const refused = byTestId('guest-action-delete') as HTMLButtonElement;
    expect(refused.disabled).toBe(true);
    expect(refused.title).toBe('You lack VM.Allocate');
  });
});

describe('GuestPageHeader tabs', () => {
  it('links only the pages whose route exists, the open one marked as the current page', async () => {
    const { router } = await showHeader({ pages: ['hardware', 'snapshots'], permissions: { '/': { 'VM.Audit': 1, 'VM.Snapshot': 1, 'Sys.Audit': 1 } } });
    expect(exists('guest-tab-summary')).toBe(true);
    expect(exists('guest-tab-hardware')).toBe(true);
    expect(exists('guest-tab-snapshots')).toBe(true);
    expect(exists('guest-tab-options')).toBe(false);
    expect(exists('guest-tab-ha')).toBe(false);
    expect(byTestId('guest-tab-summary').getAttribute('aria-current')).toBe('page');
    expect(byTestId('guest-tab-hardware').getAttribute('aria-current')).toBeNull();

    byTestId('guest-tab-hardware').click();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/operations/${labProfileId}/guest/100/hardware`);
    expect(byTestId('guest-tab-hardware').getAttribute('aria-current')).toBe('page');
  });

  it('hides the pages the user may not use', async () => {
    await showHeader({ pages: ['hardware', 'snapshots', 'backups', 'ha'], permissions: { '/vms': { 'VM.Audit': 1, 'VM.Backup': 1 } } });
    expect(exists('guest-tab-hardware')).toBe(true);
    expect(exists('guest-tab-backups')).toBe(true);
    expect(exists('guest-tab-snapshots')).toBe(false);
    expect(exists('guest-tab-ha')).toBe(false);
  });

  it('links nothing without VM.Audit', async () => {
    await showHeader({ pages: ['hardware'], permissions: { '/': { 'Sys.Audit': 1 } } });
    expect(exists('guest-tab-summary')).toBe(false);
    expect(exists('guest-tab-hardware')).toBe(false);
  });
});
