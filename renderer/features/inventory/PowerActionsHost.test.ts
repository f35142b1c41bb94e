import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { jobView, serveJobs } from '../tasks/testing/jobs-host';
import { useInventoryStore, type InventoryEntry } from './inventory-store';
import PowerActionsHost from './PowerActionsHost.vue';
import { clusterFeed, guestItem, labProfileId, serveInventory } from './testing/inventory-host';
import { usePowerActions } from './use-power-actions';

let power: ReturnType<typeof usePowerActions>;
let entries: () => InventoryEntry[];
let locale: Ref<string>;

const Harness = defineComponent(() => {
  power = usePowerActions();
  locale = useI18n().locale;
  const store = useInventoryStore();
  void store.start();
  entries = () => store.entries(labProfileId);
  return () => h(PowerActionsHost);
});

async function mountWith(items: InventoryItem[], permissions?: Record<string, Record<string, 0 | 1>>) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items, ...(permissions ? { permissions } : {}) }]);
  await mountInApp(Harness);
  await flushPromises();
}

const guest = (vmid: number) => {
  const found = entries().find((entry) => entry.item.vmid === vmid);
  if (found === undefined) throw new Error(`no guest ${vmid}`);
  return found;
};

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  serveJobs(fakeIpc);
});

describe('usePowerActions', () => {
  it('offers what a PVEVMUser-like map allows: enabled with VM.PowerMgmt, disabled naming it without, nothing without VM.Audit', async () => {
    // What a pool ACL with the PVEVMUser role gives: the privileges on each member, not propagated.
    await mountWith([guestItem(100), guestItem(101), guestItem(102), guestItem(103, { status: 'stopped' }), guestItem(104, { type: 'lxc', id: 'lxc/104' })], {
      '/vms/100': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 },
      '/vms/101': { 'VM.Audit': 0 },
      '/vms/103': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 },
      '/vms/104': { 'VM.Audit': 0, 'VM.PowerMgmt': 0 },
    });
    expect(power.choices([guest(100)]).map(({ action, enabled }) => [action, enabled])).toEqual([
      ['shutdown', true],
      ['stop', true],
      ['reboot', true],
      ['reset', true],
      ['suspend', true],
      ['hibernate', true],
    ]);
    expect(power.choices([guest(101)]).every((choice) => !choice.enabled && choice.reason === 'You lack the VM.PowerMgmt privilege on this guest.')).toBe(true);
    expect(power.choices([guest(102)])).toEqual([]);
    expect(power.choices([guest(103)])).toEqual([{ action: 'start', enabled: true, confirm: false }]);
    expect(power.choices([guest(104)])).toEqual([]);
  });

  it('starts one guest without asking, and its job is what main returned', async () => {
    await mountWith([guestItem(100, { status: 'stopped' })]);
    fakeIpc.answer('inventory.power', () => [jobView()]);
    await power.run('start', [guest(100)]);
    expect(exists('power-confirm')).toBe(false);
    expect(fakeIpc.callsOf('inventory.power')).toEqual([{ action: 'start', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] }]);
  });

  it('asks before a stop, naming the first ten guests and counting the rest; cancel sends nothing', async () => {
    await mountWith(
      Array.from({ length: 12 }, (_, index) => guestItem(100 + index, { name: index === 0 ? '<img src=x onerror=alert(1)>\u202Egpj.exe' : undefined })),
    );
    fakeIpc.answer('inventory.power', () => []);
    const running = power.run('stop', entries());
    await flushPromises();
    const names = [...byTestId('power-confirm-guests').querySelectorAll('li')].map((li) => li.textContent?.trim());
    expect(names).toHaveLength(11);
    expect(names[0]).toBe('<img src=x onerror=alert(1)>gpj.exe (100)');
    expect(names[1]).toBe('VM 101');
    expect(names[10]).toBe('and 2 more');
    expect(document.querySelector('[data-testid="power-confirm"] img')).toBeNull();
    expect(byTestId('power-confirm').textContent).toContain('Stop 12 guests?');
    expect(byTestId('power-confirm').textContent).toContain('Each guest is powered off at once');
    [...byTestId('power-confirm').querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Cancel')?.click();
    await running;
    await settle();
    expect(fakeIpc.callsOf('inventory.power')).toEqual([]);
  });

  it('speaks of one guest in the singular, in English and in French', async () => {
    await mountWith([guestItem(100)]);
    const running = power.run('shutdown', [guest(100)]);
    await flushPromises();
    const question = () => byTestId('power-confirm').textContent ?? '';
    expect(question()).toContain('Shut down vm-100 (100)?');
    expect(question()).toContain('The guest’s operating system is asked to shut down cleanly.');
    expect(question()).toContain('If the guest has not shut down by then');
    expect(question()).not.toMatch(/\b(each|a guest)\b/i);
    locale.value = 'fr';
    try {
      await flushPromises();
      expect(question()).toContain('Le système de l’invité reçoit la demande de s’éteindre proprement.');
      expect(question()).toContain('Si l’invité n’est pas éteint d’ici là');
      expect(question()).not.toMatch(/chaque|un invité/i);
    } finally {
      locale.value = 'en';
    }
    await flushPromises();
    [...byTestId('power-confirm').querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Cancel')?.click();
    await running;
  });

  it('shuts down with the timeout the user chose, then offers to stop the guests whose shutdown failed', async () => {
    await mountWith([guestItem(100), guestItem(101)]);
    const started = [jobView({ kind: 'pve:qmshutdown' }), jobView({ kind: 'pve:qmshutdown', subject: { profileId: labProfileId, node: 'pve1', vmid: 101 } })];
    fakeIpc.answer('inventory.power', () => started);
    const running = power.run('shutdown', [guest(100), guest(101)]);
    await flushPromises();
    const timeout = byTestId('power-timeout').querySelector('input');
    expect(timeout?.value).toBe('180');
    if (timeout === null || timeout === undefined) throw new Error('no timeout field');
    timeout.value = '60';
    timeout.dispatchEvent(new Event('input'));
    timeout.dispatchEvent(new Event('blur'));
    await flushPromises();
    await click('power-confirm-ok');
    await running;
    expect(fakeIpc.callsOf('inventory.power')).toEqual([
      {
        action: 'shutdown',
        timeout: 60,
        targets: [
          { profileId: labProfileId, node: 'pve1', vmid: 100 },
          { profileId: labProfileId, node: 'pve1', vmid: 101 },
        ],
      },
    ]);
    await settle();
    expect(exists('power-offer-stop')).toBe(false);

    const [first, second] = started as [ReturnType<typeof jobView>, ReturnType<typeof jobView>];
    fakeIpc.emit('jobs.changed', {
      upserted: [
        { ...first, state: 'failed', error: 'VM quit/powerdown failed - got timeout' },
        { ...second, state: 'succeeded' },
      ],
      removed: [],
    });
    await flushPromises();
    expect(byTestId('power-offer-stop').textContent).toContain('vm-100 (100) — VM quit/powerdown failed - got timeout');
    expect(byTestId('power-offer-stop').textContent).not.toContain('vm-101');
    expect(byTestId('power-offer-stop').textContent).toContain('This guest did not shut down in time.');
    await click('power-offer-stop-ok');
    expect(fakeIpc.callsOf('inventory.power')[1]).toEqual({ action: 'stop', targets: [{ profileId: labProfileId, node: 'pve1', vmid: 100 }] });
    await settle();
    expect(exists('power-confirm')).toBe(false);
  });

  it('says so when main refuses the action', async () => {
    await mountWith([guestItem(100, { status: 'stopped' })]);
    fakeIpc.answer('inventory.power', () => {
      throw new Error('boom');
    });
    await power.run('start', [guest(100)]);
    await flushPromises();
    expect(document.body.textContent).toContain('The power action could not be started.');
  });
});
