import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { byTestId, fakeIpc, mountInApp, settle } from '../../testing';
import { GuestPageHeader, useInventoryStore, usePowerActions, type InventoryEntry } from '../inventory';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../inventory/testing';
import OperationsHost from './OperationsHost.vue';

/** The host contributes its actions; the guest menu (as the tree and lists show it) reads them back. */
async function menuOf(id: string, permissions?: PermissionMap) {
  serveInventory(fakeIpc, [
    {
      feed: clusterFeed(),
      items: [
        nodeItem('pve1'),
        guestItem(100, { status: 'stopped' }),
        guestItem(9000, { status: 'stopped', template: true }),
        guestItem(200, { id: 'lxc/200', type: 'lxc' }),
      ],
      ...(permissions === undefined ? {} : { permissions }),
    },
  ]);
  let menu: ReturnType<typeof usePowerActions>['menuOptions'] | undefined;
  await mountInApp(
    defineComponent(() => {
      menu = usePowerActions().menuOptions;
      return () => h(OperationsHost);
    }),
  );
  const inventory = useInventoryStore();
  await inventory.start();
  const entry = inventory.entry(labProfileId, id) as InventoryEntry;
  return menu?.(entry) ?? [];
}

const keys = (options: { key?: string | number }[]) => options.map((option) => option.key).filter((key) => String(key).startsWith('action-'));

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('operations contributed to the inventory', { timeout: 20_000 }, () => {
  it('offers a guest every operation whose dialog exists, a template no snapshot, a container none', async () => {
    const guest = keys(await menuOf('qemu/100'));
    expect(guest).toEqual(expect.arrayContaining(['action-clone', 'action-delete']));
    expect(guest.at(-1)).toBe('action-delete');
    expect(keys(await menuOf('qemu/9000'))).not.toContain('action-snapshot');
    expect(keys(await menuOf('lxc/200'))).toEqual([]);
  });

  it('disables an operation the user lacks the privilege for, saying which', async () => {
    const options = await menuOf('qemu/100', { '/vms': { 'VM.Audit': 1, 'VM.Clone': 1 } });
    const clone = options.find((option) => option.key === 'action-clone');
    const remove = options.find((option) => option.key === 'action-delete');
    expect(clone?.disabled).toBe(false);
    expect(remove).toMatchObject({ disabled: true, props: { title: 'You lack the VM.Allocate privilege here.' } });
  });

  it('opens the delete dialog from the guest page header', async () => {
    serveInventory(fakeIpc, [
      { feed: clusterFeed(), items: [nodeItem('pve1'), guestItem(100, { status: 'stopped' })], permissions: { '/': { 'VM.Audit': 1, 'VM.Allocate': 1 } } },
    ]);
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ name: 'inventory-guest', path: '/:profileId/:vmid', component: { render: () => null } }],
    });
    await mountInApp(
      defineComponent(() => () => [h(OperationsHost), h(GuestPageHeader, { profileId: labProfileId, vmid: '100' })]),
      {},
      [router],
    );
    await flushPromises();
    byTestId('guest-action-delete').click();
    await settle();
    expect(byTestId('delete-dialog').textContent).toContain('Delete vm-100 (100)');
  });
});
