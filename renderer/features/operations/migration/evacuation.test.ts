import { describe, expect, it } from 'vitest';
import type { EvacuationPlan } from '../../../../shared/domain/operations';
import { jobView } from '../../tasks/testing/jobs-host';
import { freeAfter, guestFates, movesToSend, targetNodes } from './evacuation';

const GiB = 1024 ** 3;
const plan: EvacuationPlan = {
  node: 'pve1',
  moves: [
    { vmid: 100, name: 'web01', memory: 4 * GiB, running: true, target: 'pve2' },
    { vmid: 101, name: 'db01', memory: 2 * GiB, running: false, target: 'pve3' },
    { vmid: 102, name: 'pci01', memory: 1 * GiB, running: true, blocked: 'local resources: hostpci0' },
  ],
  freeAfter: { pve2: 4 * GiB, pve3: 10 * GiB },
};

describe('evacuation plan as chosen', () => {
  it('offers the nodes the plan weighs, not the one emptied', () => {
    expect(targetNodes(plan)).toEqual(['pve2', 'pve3']);
  });

  it('keeps the plan’s free memory when nothing changed', () => {
    expect(freeAfter(plan, {})).toEqual(plan.freeAfter);
  });

  it('moves a guest’s memory from the planned node to the chosen one', () => {
    expect(freeAfter(plan, { 100: 'pve3' })).toEqual({ pve2: 8 * GiB, pve3: 6 * GiB });
  });

  it('sends every guest that is not blocked, to its chosen target', () => {
    expect(movesToSend(plan, { 101: 'pve2' })).toEqual([
      { vmid: 100, target: 'pve2' },
      { vmid: 101, target: 'pve2' },
    ]);
    // A choice for a blocked guest sends nothing.
    expect(movesToSend(plan, { 102: 'pve2' }).map((move) => move.vmid)).toEqual([100, 101]);
  });
});

describe('guestFates', () => {
  const sent = [
    { vmid: 100, target: 'pve2' },
    { vmid: 101, target: 'pve3' },
    { vmid: 103, target: 'pve3' },
  ];
  const subject = { profileId: '11111111-1111-4111-8111-111111111111', node: 'pve1' };
  const evacuation = jobView({ kind: 'operations.evacuate', state: 'failed', subject, startedAt: '2026-01-01T10:00:00Z' });

  it('reads each guest’s migration job: moved, failed with PVE’s reason, not started', () => {
    const moved = jobView({ kind: 'pve:qmigrate', state: 'succeeded', subject: { ...subject, vmid: 100 }, startedAt: '2026-01-01T10:00:02Z' });
    const failed = jobView({
      kind: 'pve:qmigrate',
      state: 'failed',
      error: 'migration aborted',
      subject: { ...subject, vmid: 101 },
      startedAt: '2026-01-01T10:00:03Z',
    });
    // An older migration of 103 is not this evacuation's.
    const older = jobView({ kind: 'pve:qmigrate', state: 'succeeded', subject: { ...subject, vmid: 103 }, startedAt: '2025-12-31T09:00:00Z' });
    expect(guestFates(sent, evacuation, [moved, failed, older], [])).toEqual([
      { vmid: 100, target: 'pve2', result: 'moved', job: moved },
      { vmid: 101, target: 'pve3', result: 'failed', reason: 'migration aborted' },
      { vmid: 103, target: 'pve3', result: 'notStarted' },
    ]);
  });

  it('falls back on the evacuation’s log when a guest’s job is not listed', () => {
    const log = ['VM 100 → pve2: migrated', 'VM 101 → pve3: target node is offline'];
    expect(guestFates(sent.slice(0, 2), evacuation, [], log)).toEqual([
      { vmid: 100, target: 'pve2', result: 'moved' },
      { vmid: 101, target: 'pve3', result: 'failed', reason: 'target node is offline' },
    ]);
  });

  it('says a guest is under way while the evacuation runs', () => {
    const running = { ...evacuation, state: 'running' as const };
    expect(guestFates(sent.slice(2), running, [], [])).toEqual([{ vmid: 103, target: 'pve3', result: 'pending' }]);
  });
});
