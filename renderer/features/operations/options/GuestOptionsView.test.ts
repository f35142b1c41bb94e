import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { byTestId, click, exists, fakeIpc, mountInApp } from '../../../testing';
import { digestA, operationsRouter, pendingConfig, serveGuestConfig } from '../testing';
import GuestOptionsView from './GuestOptionsView.vue';

async function showOptions(config = pendingConfig) {
  const host = serveGuestConfig(fakeIpc, config);
  await mountInApp(GuestOptionsView, { profileId: host.profileId, vmid: '100' }, [operationsRouter()]);
  await flushPromises();
}

const order = () =>
  [...byTestId('boot-order').querySelectorAll<HTMLElement>('li')].map((item) => `${item.dataset.testid?.replace('boot-device-', '')}:${item.dataset.enabled}`);

async function altArrow(testId: string, key: 'ArrowUp' | 'ArrowDown'): Promise<void> {
  // The key goes to the control that has the focus inside the row (here its check box) and bubbles to the row.
  const target = byTestId(testId).querySelector<HTMLElement>('.n-checkbox') ?? byTestId(testId);
  target.dispatchEvent(new KeyboardEvent('keydown', { key, altKey: true, bubbles: true }));
  await flushPromises();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('GuestOptionsView', () => {
  it('shows each option in words, a pending one beside its value now', async () => {
    await showOptions(() =>
      pendingConfig({
        entries: [
          ...pendingConfig().entries.filter(({ key }) => key !== 'onboot'),
          { key: 'onboot', value: 1, pending: 0 },
          { key: 'startup', value: 'order=2,up=30' },
          { key: 'agent', value: 'enabled=1,fstrim_cloned_disks=1' },
          { key: 'description', value: '<b>hello</b>\nsecond line' },
        ],
      }),
    );
    expect(byTestId('opt-row-name').textContent).toContain('web-01');
    expect(byTestId('opt-row-startup').textContent).toContain('order 2, next guest starts 30 s later');
    expect(byTestId('opt-row-boot').textContent).toContain('scsi0, ide2, net0');
    expect(byTestId('opt-row-ostype').textContent).toContain('Linux 6.x');
    expect(byTestId('opt-row-agent').textContent).toContain('Enabled, disks trimmed');
    expect(byTestId('opt-row-description').textContent).toContain('<b>hello</b> second line');
    expect(byTestId('opt-row-description').querySelector('b')).toBeNull();
    const onboot = byTestId('opt-row-onboot');
    expect(onboot.dataset.pending).toBe('true');
    expect(onboot.querySelector('[data-testid="opt-pending"]')?.textContent).toContain('No');
    expect(byTestId('pending-changes').textContent).toContain('Start at boot: Yes → No');
  });

  it('reorders the boot devices by keyboard and by their buttons, and writes the order with the digest', async () => {
    await showOptions();
    await click('opt-edit-boot');
    expect(order()).toEqual(['scsi0:true', 'ide2:true', 'net0:true', 'net1:false']);

    await altArrow('boot-device-scsi0', 'ArrowDown');
    expect(order()).toEqual(['ide2:true', 'scsi0:true', 'net0:true', 'net1:false']);
    expect(byTestId('boot-announcement').textContent).toBe('scsi0 is now at position 2 of 4.');
    expect(document.activeElement?.closest('li')?.dataset.testid).toBe('boot-device-scsi0');

    await altArrow('boot-device-net0', 'ArrowUp');
    expect(order()).toEqual(['ide2:true', 'net0:true', 'scsi0:true', 'net1:false']);
    await altArrow('boot-device-ide2', 'ArrowUp');
    expect(order()[0]).toBe('ide2:true');

    await click('boot-up-net1');
    expect(order()).toEqual(['ide2:true', 'net0:true', 'net1:false', 'scsi0:true']);
    expect(document.activeElement?.getAttribute('data-testid')).toBe('boot-up-net1');
    byTestId('boot-enable-net1').click();
    await flushPromises();
    expect(byTestId('boot-up-ide2').hasAttribute('disabled')).toBe(true);

    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.updateConfig')).toEqual([
      { profileId: expect.any(String), node: 'pve1', vmid: 100, digest: digestA, set: { boot: 'order=ide2;net0;net1;scsi0' }, delete: [], revert: [] },
    ]);
  });

  it('edits the start order, and leaves out what is cleared', async () => {
    await showOptions();
    await click('opt-edit-startup');
    const orderInput = byTestId('field-order').querySelector('input');
    if (orderInput === null) throw new Error('no order field');
    orderInput.value = '3';
    orderInput.dispatchEvent(new Event('input'));
    orderInput.dispatchEvent(new FocusEvent('blur'));
    await flushPromises();
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.updateConfig')[0]?.set).toEqual({ startup: 'order=3' });
    expect(exists('dialog-error')).toBe(false);
  });
});
