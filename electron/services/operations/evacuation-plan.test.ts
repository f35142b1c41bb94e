import { describe, expect, it } from 'vitest';
import { planEvacuation, type EvacuationGuest } from './evacuation-plan';

const GiB = 1024 ** 3;
const nodes = [
  { node: 'pve1', online: true, freeMemory: 1 * GiB },
  { node: 'pve2', online: true, freeMemory: 10 * GiB },
  { node: 'pve3', online: true, freeMemory: 8 * GiB },
  { node: 'pve4', online: false, freeMemory: 64 * GiB },
];
const everywhere = ['pve2', 'pve3', 'pve4'];

function guest(vmid: number, memoryGiB: number, extra: Partial<EvacuationGuest> = {}): EvacuationGuest {
  return { vmid, memory: memoryGiB * GiB, running: true, allowed: everywhere, ...extra };
}

describe('planEvacuation', () => {
  it('places the largest guest first on the node with most memory free after earlier moves, never on the node emptied or an offline one', () => {
    const plan = planEvacuation('pve1', [guest(101, 2), guest(102, 6), guest(103, 3)], nodes);
    expect(plan.moves.map(({ vmid, target }) => [vmid, target])).toEqual([
      [102, 'pve2'],
      [103, 'pve3'],
      [101, 'pve3'],
    ]);
    expect(plan.freeAfter).toEqual({ pve2: 4 * GiB, pve3: 3 * GiB });
  });

  it('keeps to the nodes a guest is allowed on, and blocks a running guest no node has the memory for', () => {
    const plan = planEvacuation('pve1', [guest(101, 4, { allowed: ['pve3'] }), guest(102, 20)], nodes);
    expect(plan.moves).toEqual([
      {
        vmid: 102,
        memory: 20 * GiB,
        running: true,
        blocked: 'no node has enough free memory',
        blockedTranslations: { fr: 'aucun nœud n’a assez de mémoire libre' },
      },
      { vmid: 101, memory: 4 * GiB, running: true, target: 'pve3' },
    ]);
  });

  it('moves a stopped guest even where memory is short, and reports blocked guests without placing them', () => {
    const plan = planEvacuation(
      'pve1',
      [
        guest(101, 20, { running: false }),
        guest(102, 1, { blocked: { en: 'local resources: hostpci0', fr: 'ressources locales : hostpci0' } }),
        guest(103, 1, { allowed: ['pve4'] }),
      ],
      nodes,
    );
    expect(plan.moves.find((move) => move.vmid === 101)?.target).toBe('pve2');
    expect(plan.moves.find((move) => move.vmid === 102)).toMatchObject({
      blocked: 'local resources: hostpci0',
      blockedTranslations: { fr: 'ressources locales : hostpci0' },
    });
    expect(plan.moves.find((move) => move.vmid === 103)).toMatchObject({
      blocked: 'no online node may take it',
      blockedTranslations: { fr: 'aucun nœud en ligne ne peut l’accueillir' },
    });
    expect(plan.freeAfter.pve2).toBe(-10 * GiB);
  });
});
