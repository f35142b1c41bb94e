import { beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../../shared/domain/jobs';
import type { MigrationCheck } from '../../../../shared/domain/operations';
import { byTestId, click, exists, fakeIpc, type } from '../../../testing';
import { guestItem, labProfileId } from '../../inventory/testing';
import { openGuestDialog } from '../testing';

/** PVE's migration check of a running guest on pve1 that pins nothing but what `localResources` names. */
function check(localResources: string[]): MigrationCheck {
  return { running: true, targets: [{ node: 'pve2', online: true, allowed: true, reasons: [] }], localDisks: [], localResources };
}

async function openSnapshot(status: 'running' | 'stopped', localResources: string[] = []): Promise<void> {
  fakeIpc.answer('operations.snapshots', () => []);
  fakeIpc.answer('operations.migrationCheck', () => check(localResources));
  fakeIpc.answer('operations.createSnapshot', () => ({ id: 'pve:x:UPID' }) as unknown as JobView);
  await openGuestDialog('snapshot', guestItem(100, { status, name: 'web' }));
}

function vmstateBox(): HTMLElement {
  return byTestId('field-vmstate');
}

/** Disabled as Naive UI draws it (its class, clicks refused) and as a screen reader hears it. */
function vmstateDisabled(): boolean {
  return vmstateBox().classList.contains('n-checkbox--disabled') && vmstateBox().getAttribute('aria-disabled') === 'true';
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('SnapshotDialog', { timeout: 20_000 }, () => {
  it('offers the RAM of a running guest whose QEMU can save it, and sends it when ticked', async () => {
    await openSnapshot('running');
    expect(fakeIpc.callsOf('operations.migrationCheck')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100 }]);
    expect(vmstateDisabled()).toBe(false);
    await type('field-name', 'before_update');
    await click('field-vmstate');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.createSnapshot')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100, name: 'before_update', vmstate: true }]);
  });

  it('refuses the RAM, in words, of a guest whose VNC clipboard QEMU before 10.1 cannot save, and snapshots without it', async () => {
    await openSnapshot('running', ['clipboard=vnc']);
    expect(vmstateDisabled()).toBe(true);
    const reason = byTestId('vmstate-unavailable');
    expect(reason.textContent).toContain('the guest’s display shares the VNC clipboard (clipboard=vnc), which QEMU before 10.1 cannot save');
    expect(vmstateBox().getAttribute('aria-describedby')).toBe(reason.id);
    await type('field-name', 'before_update');
    await click('field-vmstate');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.createSnapshot')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100, name: 'before_update', vmstate: false }]);
  });

  it('asks nothing of a stopped guest, which has no RAM to save', async () => {
    await openSnapshot('stopped');
    expect(fakeIpc.callsOf('operations.migrationCheck')).toEqual([]);
    expect(exists('field-vmstate')).toBe(false);
    expect(byTestId('vmstate-unavailable').textContent).toContain('no RAM to save');
  });
});
