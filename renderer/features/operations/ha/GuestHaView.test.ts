import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HaResourceView } from '../../../../shared/domain/operations';
import { IpcError } from '../../../../shared/ipc/errors';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../../testing';
import { nodeSummary } from '../../inventory/testing/summary-host';
import { operationsRouter, pendingConfig, serveGuestConfig } from '../testing';
import GuestHaView from './GuestHaView.vue';

async function showHa(resource: HaResourceView | null, pveVersion: string) {
  const host = serveGuestConfig(fakeIpc, pendingConfig);
  let current = resource;
  fakeIpc.answer('operations.haResource', () => current);
  fakeIpc.answer('inventory.nodeSummary', () => nodeSummary({ pveVersion }));
  fakeIpc.answer('operations.setHa', (input) => {
    current = { sid: `vm:${input.vmid}`, state: input.state, maxRestart: input.maxRestart, maxRelocate: input.maxRelocate, digest: 'c'.repeat(40) };
    return current;
  });
  await mountInApp(GuestHaView, { profileId: host.profileId, vmid: '100' }, [operationsRouter()]);
  await flushPromises();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('GuestHaView', () => {
  it('adds an unmanaged guest to HA with the state chosen among explained ones; PVE 9 gets no group', async () => {
    await showHa(null, 'pve-manager/9.2.11/0123456789abcdef');
    expect(byTestId('ha-state').dataset.managed).toBe('false');
    expect(exists('ha-remove')).toBe(false);
    await click('ha-add');
    expect(exists('ha-dialog')).toBe(true);
    expect(exists('field-group')).toBe(false);
    expect(byTestId('ha-no-groups').textContent).toContain('HA rules');
    expect(byTestId('ha-dialog').textContent).toContain('HA stops the guest and leaves it in place');
    byTestId('field-state-stopped').querySelector('input')?.click();
    await flushPromises();
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.setHa')).toEqual([
      { profileId: expect.any(String), vmid: 100, state: 'stopped', maxRestart: 1, maxRelocate: 1, create: true },
    ]);
    await settle();
    expect(byTestId('ha-state').dataset.managed).toBe('true');
    expect(byTestId('ha-state').textContent).toContain('Stopped');
  });

  it('offers the group on PVE 8, sends the resource’s digest, and keeps the input when the HA config changed meanwhile', async () => {
    await showHa(
      { sid: 'vm:100', state: 'started', maxRestart: 2, maxRelocate: 1, group: 'lab', digest: 'd'.repeat(40) },
      'pve-manager/8.4.21/0123456789abcdef',
    );
    expect(byTestId('ha-state').textContent).toContain('requested state: Started');
    await click('ha-edit');
    const group = byTestId('field-group').querySelector('input');
    expect(group?.value).toBe('lab');
    fakeIpc.answer('operations.setHa', () => {
      throw new IpcError('CONFLICT', 'detected modified configuration');
    });
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.setHa')[0]).toMatchObject({ group: 'lab', digest: 'd'.repeat(40), create: false, maxRestart: 2 });
    expect(byTestId('dialog-error').dataset.code).toBe('CONFLICT');
    expect(exists('ha-dialog')).toBe(true);
  });

  it('removes a guest from HA after asking', async () => {
    fakeIpc.answer('operations.removeHa', () => null);
    await showHa({ sid: 'vm:100', state: 'started', maxRestart: 1, maxRelocate: 1 }, 'pve-manager/9.2.11/0123456789abcdef');
    await click('ha-remove');
    expect(exists('ha-remove-dialog')).toBe(true);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.removeHa')).toEqual([{ profileId: expect.any(String), vmid: 100 }]);
  });
});
