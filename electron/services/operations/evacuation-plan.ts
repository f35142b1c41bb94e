import type { EvacuationMove, EvacuationPlan } from '../../../shared/domain/operations';
import type { Sentence } from '../../../shared/text/sentence';
import type { NodeCapacity } from './migration-check';

/** A guest of the node being emptied, with the nodes its precondition allows. */
export interface EvacuationGuest {
  vmid: number;
  name?: string;
  /** Bytes. */
  memory: number;
  running: boolean;
  /** Nodes PVE would take it to (online ones; the precondition's refusals left out). */
  allowed: string[];
  /** Why it cannot move at all (local devices, a failed precondition). */
  blocked?: Sentence;
}

const noNodeMayTakeIt: Sentence = { en: 'no online node may take it', fr: 'aucun nœud en ligne ne peut l’accueillir' };
const notEnoughMemory: Sentence = { en: 'no node has enough free memory', fr: 'aucun nœud n’a assez de mémoire libre' };

function blockedBy(why: Sentence): Pick<EvacuationMove, 'blocked' | 'blockedTranslations'> {
  return { blocked: why.en, blockedTranslations: { fr: why.fr } };
}

/**
 * Where each guest of `node` goes, balancing memory: largest guest first,
 * each to the allowed node with the most memory free after the moves
 * planned before it. A running guest needs that memory free there; a
 * stopped one only counts against it (it would start there).
 */
export function planEvacuation(node: string, guests: readonly EvacuationGuest[], nodes: readonly NodeCapacity[]): EvacuationPlan {
  const free = new Map(
    nodes.filter((candidate) => candidate.online && candidate.node !== node).map((candidate) => [candidate.node, candidate.freeMemory ?? 0]),
  );
  const ordered = [...guests].sort((a, b) => b.memory - a.memory || a.vmid - b.vmid);
  const moves: EvacuationMove[] = ordered.map((guest) => {
    const base = { vmid: guest.vmid, memory: guest.memory, running: guest.running, ...(guest.name !== undefined ? { name: guest.name } : {}) };
    if (guest.blocked !== undefined) return { ...base, ...blockedBy(guest.blocked) };
    const candidates = guest.allowed.filter((target) => free.has(target)).sort((a, b) => (free.get(b) ?? 0) - (free.get(a) ?? 0) || a.localeCompare(b));
    const target = candidates[0];
    if (target === undefined) return { ...base, ...blockedBy(noNodeMayTakeIt) };
    const left = (free.get(target) ?? 0) - guest.memory;
    if (guest.running && left < 0) return { ...base, ...blockedBy(notEnoughMemory) };
    free.set(target, left);
    return { ...base, target };
  });
  return { node, moves, freeAfter: Object.fromEntries(free) };
}
