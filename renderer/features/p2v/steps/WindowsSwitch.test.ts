import { beforeEach, describe, expect, it } from 'vitest';
import { byTestId, click, fakeIpc, mountInApp } from '../../../testing';
import { plan } from '../testing';
import WindowsSwitch from './WindowsSwitch.vue';

const target = { ...plan.target, ostype: 'win11' as const, diskBus: 'sata' as const };

function runButton(step: string): HTMLButtonElement {
  return byTestId(`p2v-windows-run-${step}`) as HTMLButtonElement;
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('Windows switch to virtio', { timeout: 20_000 }, () => {
  it('opens each step only once the one before passed its checks, and says each check and what to do next', async () => {
    let addOk = false;
    fakeIpc.answer('p2v.windowsSwitch', ({ step }) => ({
      step,
      checks: [
        { key: 'virtio1', expected: 'size=1G', actual: addOk ? 'size=1G' : undefined, ok: addOk },
        { key: 'sata0', expected: 'boot disk', actual: 'boot disk', ok: true },
      ],
      next: { key: 'p2v.windowsSwitch.next.installDriver', params: { driver: 'viostor', disk: 'virtio1' } },
    }));
    await mountInApp(WindowsSwitch, { target });
    expect(runButton('add-temporary-disk').disabled).toBe(false);
    expect(runButton('remove-temporary-disk').disabled).toBe(true);
    expect(runButton('move-boot-disk').disabled).toBe(true);

    await click('p2v-windows-run-add-temporary-disk');
    const item = byTestId('p2v-windows-add-temporary-disk');
    const labels = [...item.querySelectorAll('.checks [role=img]')].map((icon) => icon.getAttribute('aria-label'));
    expect(labels).toEqual(['Does not hold', 'Holds']);
    expect(item.textContent).toContain('virtio1: expected size=1G, found —');
    expect(byTestId('p2v-windows-next').textContent).toContain('install the viostor driver from the virtio-win CD for the new disk virtio1');
    expect(runButton('remove-temporary-disk').disabled).toBe(true);

    addOk = true;
    await click('p2v-windows-run-add-temporary-disk');
    expect(runButton('remove-temporary-disk').disabled).toBe(false);
    expect(fakeIpc.callsOf('p2v.windowsSwitch')[0]).toEqual({
      profileId: target.profileId,
      node: 'pve1',
      vmid: 101,
      step: 'add-temporary-disk',
      bus: 'virtio',
      temporaryStorage: 'local',
    });
  });
});
