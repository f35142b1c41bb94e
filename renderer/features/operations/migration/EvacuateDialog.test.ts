import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvacuationPlan } from '../../../../shared/domain/operations';
import { byTestId, click, fakeIpc, mountInApp } from '../../../testing';
import { labProfileId, layOutVirtualLists } from '../../inventory/testing';
import { jobView, serveJobs, type JobsHost } from '../../tasks/testing/jobs-host';
import EvacuateDialog from './EvacuateDialog.vue';

const GiB = 1024 ** 3;
let jobs: JobsHost;

const plan: EvacuationPlan = {
  node: 'pve1',
  moves: [
    { vmid: 100, name: 'web01', memory: 4 * GiB, running: true, target: 'pve2' },
    { vmid: 101, name: 'db01', memory: 2 * GiB, running: false, target: 'pve3' },
    { vmid: 102, name: '<b>pci01</b>', memory: 1 * GiB, running: true, blocked: 'local resources: hostpci0' },
  ],
  freeAfter: { pve2: 1 * GiB, pve3: 10 * GiB },
};

beforeEach(() => {
  fakeIpc.reset();
  jobs = serveJobs(fakeIpc);
  fakeIpc.answer('operations.evacuationPlan', () => plan);
});

async function open() {
  await mountInApp(EvacuateDialog, { node: { profileId: labProfileId, node: 'pve1' } });
  await flushPromises();
}

function row(vmid: number): HTMLElement {
  const found = byTestId('evacuation-plan').querySelector<HTMLElement>(`[data-vmid="${vmid}"]`);
  if (found === null) throw new Error(`no row for ${vmid}`);
  return found;
}

function freeOf(node: string): string | undefined {
  return byTestId('evacuation-free').querySelector(`[data-node="${node}"] td`)?.textContent?.trim();
}

describe('evacuate dialog', () => {
  it('shows each guest with its memory, live or offline, its target, and the blocked ones with why, as text', async () => {
    await open();
    expect(fakeIpc.callsOf('operations.evacuationPlan')).toEqual([{ profileId: labProfileId, node: 'pve1' }]);
    const cells = (vmid: number) => [...row(vmid).querySelectorAll('th, td')].map((cell) => cell.textContent?.trim());
    expect(cells(100)).toEqual(['web01 (100)', '4\u00a0GiB', 'Live', 'pve2']);
    expect(cells(101)).toEqual(['db01 (101)', '2\u00a0GiB', 'Offline', 'pve3']);
    expect(cells(102)).toEqual(['<b>pci01</b> (102)', '1\u00a0GiB', 'Live', 'Stays: local resources: hostpci0']);
    expect(row(102).dataset.blocked).toBe('true');
    expect(row(102).querySelector('b')).toBeNull();
    expect(freeOf('pve2')).toBe('1\u00a0GiB');
    expect(freeOf('pve3')).toBe('10\u00a0GiB');
    expect(byTestId('evacuation-count').textContent).toBe('Guests that will move: 2. Guests that stay: 1.');
  });

  it('updates the free memory when a target changes, and says when a node would be over its free memory', async () => {
    await open();
    row(101).querySelector<HTMLElement>('.n-base-selection')?.click();
    await flushPromises();
    await layOutVirtualLists(600);
    [...document.querySelectorAll<HTMLElement>('.n-base-select-option')].find((option) => option.textContent === 'pve2')?.click();
    await flushPromises();
    expect(freeOf('pve3')).toBe('12\u00a0GiB');
    expect(freeOf('pve2')).toBe('pve2: 1\u00a0GiB more than it has free');
    expect(byTestId('evacuation-free').querySelector('[data-node="pve2"]')?.getAttribute('data-over')).toBe('true');
  });

  it('asks PVE which nodes a guest may go to once its list is opened, and keeps the refused ones out of reach with why', async () => {
    fakeIpc.answer('operations.migrationCheck', ({ vmid }) => ({
      running: vmid === 100,
      targets: [
        { node: 'pve2', online: true, allowed: true, reasons: [], freeMemory: 5 * GiB },
        { node: 'pve3', online: true, allowed: false, reasons: ['local-lvm'] },
      ],
      localDisks: [],
      localResources: [],
    }));
    await open();
    expect(fakeIpc.callsOf('operations.migrationCheck')).toEqual([]);
    row(100).querySelector<HTMLElement>('.n-base-selection')?.click();
    await flushPromises();
    await layOutVirtualLists(600);
    expect(fakeIpc.callsOf('operations.migrationCheck')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100 }]);
    const options = [...document.querySelectorAll<HTMLElement>('.n-base-select-option')];
    const pve3 = options.find((option) => option.textContent?.startsWith('pve3'));
    expect(pve3?.textContent).toBe('pve3 — not possible: local-lvm');
    expect(pve3?.classList.contains('n-base-select-option--disabled')).toBe(true);
  });

  it('sends the moves as chosen and sums up what moved and what failed, from the guests’ jobs', async () => {
    await open();
    const evacuation = jobView({ kind: 'operations.evacuate', subject: { profileId: labProfileId, node: 'pve1' }, startedAt: '2026-01-01T10:00:00Z' });
    fakeIpc.answer('operations.evacuate', () => evacuation);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.evacuate')).toEqual([
      {
        profileId: labProfileId,
        node: 'pve1',
        moves: [
          { vmid: 100, target: 'pve2' },
          { vmid: 101, target: 'pve3' },
        ],
      },
    ]);
    expect(byTestId('evacuation-progress').dataset.state).toBe('running');

    const moved = jobView({
      kind: 'pve:qmigrate',
      state: 'succeeded',
      subject: { profileId: labProfileId, node: 'pve1', vmid: 100 },
      startedAt: '2026-01-01T10:00:01Z',
      outcome: { key: 'tasks.outcome.migration', params: { duration: 30, downtime: 50 } },
    });
    const failed = jobView({
      kind: 'pve:qmigrate',
      state: 'failed',
      error: 'migration aborted',
      subject: { profileId: labProfileId, node: 'pve1', vmid: 101 },
      startedAt: '2026-01-01T10:00:01Z',
    });
    jobs.logs.set(evacuation.id, ['VM 100 → pve2: migrated', 'VM 101 → pve3: migration aborted']);
    jobs.ended.add(evacuation.id);
    fakeIpc.emit('jobs.changed', { upserted: [moved, failed, { ...evacuation, state: 'failed', endedAt: '2026-01-01T10:01:00Z' }], removed: [] });
    await flushPromises();
    const fates = [...byTestId('evacuation-summary').querySelectorAll<HTMLElement>('[data-testid="evacuation-fate"]')].map((fate) => [
      fate.dataset.vmid,
      fate.dataset.result,
      fate.textContent?.trim(),
    ]);
    expect(fates).toEqual([
      ['100', 'moved', 'web01 (100) → pve2: Migrated in 30\u00a0s, with 50\u00a0ms of downtime'],
      ['101', 'failed', 'db01 (101): migration aborted'],
    ]);
  });
});
