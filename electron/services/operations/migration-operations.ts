import type { JobState, JobView } from '../../../shared/domain/jobs';
import type { EvacuationPlan, MigrationCheck } from '../../../shared/domain/operations';
import { DescribedError, inLocale, sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { mapLimited } from '../inventory';
import { clusterResourcesCall, migrateGuestCall, migratePreconditionCall, type MigrationPrecondition } from '../pve';
import { planEvacuation, type EvacuationGuest } from './evacuation-plan';
import { migrationCheck, nodeCapacities, refusals, type NodeCapacity } from './migration-check';
import { jobTitle, type Input, type OperationsContext } from './operations-context';

/** Preconditions read at once while planning: a 200-guest node must not flood PVE. */
const planConcurrency = 4;
/** Migrations an evacuation runs at once, as PVE's own bulk migrate defaults to. */
const evacuationConcurrency = 2;

async function nodes(ctx: OperationsContext, profileId: string): Promise<NodeCapacity[]> {
  return nodeCapacities(await ctx.send(profileId, clusterResourcesCall('node')));
}

export async function checkMigration(ctx: OperationsContext, input: Input<'migrationCheck'>): Promise<MigrationCheck> {
  const { profileId, node, vmid } = input;
  const [precondition, capacities] = await Promise.all([ctx.send(profileId, migratePreconditionCall(node, vmid)), nodes(ctx, profileId)]);
  return migrationCheck(precondition, capacities, node);
}

function needsLocalDiskCopy(precondition: MigrationPrecondition): boolean {
  return precondition.localDisks.some((disk) => disk.cdrom !== true);
}

export async function migrate(ctx: OperationsContext, input: Input<'migrate'>): Promise<JobView> {
  const { profileId, node, vmid, target } = input;
  const call = migrateGuestCall(node, vmid, {
    target,
    online: input.online,
    withLocalDisks: input.withLocalDisks,
    ...(input.targetStorage !== undefined ? { targetStorage: input.targetStorage } : {}),
  });
  const title = jobTitle('migrate', { guest: await ctx.guestName(profileId, node, vmid), target });
  return ctx.task(profileId, call, 'migrate', title, { node, vmid });
}

/** Where each guest of the node would go: the memory each takes, the nodes its precondition allows, balanced by `planEvacuation`. */
export async function evacuationPlan(ctx: OperationsContext, input: Input<'evacuationPlan'>): Promise<EvacuationPlan> {
  const { profileId, node } = input;
  const [guests, capacities] = await Promise.all([ctx.send(profileId, clusterResourcesCall('vm')), nodes(ctx, profileId)]);
  const here = guests.filter((guest) => guest.type === 'qemu' && guest.node === node && guest.vmid !== undefined);
  const candidates = await mapLimited(here, planConcurrency, async (guest): Promise<EvacuationGuest> => {
    const vmid = guest.vmid ?? 0;
    const base = { vmid, memory: guest.maxmem ?? 0, running: guest.status === 'running', ...(guest.name !== undefined ? { name: guest.name } : {}) };
    try {
      const precondition = await ctx.send(profileId, migratePreconditionCall(node, vmid));
      const allowed = capacities.filter((capacity) => capacity.node !== node && refusals(precondition, capacity).length === 0).map((capacity) => capacity.node);
      const pinned = [...precondition.localResources, ...precondition.localCdroms];
      const blocked: Sentence | undefined =
        pinned.length > 0 ? { en: `local resources: ${pinned.join(', ')}`, fr: `ressources locales : ${pinned.join(', ')}` } : undefined;
      return { ...base, running: precondition.running, allowed, ...(blocked !== undefined ? { blocked } : {}) };
    } catch (error) {
      return { ...base, allowed: [], blocked: sentenceOfError(error) };
    }
  });
  return planEvacuation(node, candidates, capacities);
}

/**
 * Empties a node: one app job that migrates the guests two at a time, each
 * migration a followed job of its own, live for a running guest. Cancelling
 * stops starting new migrations; the job fails when any migration did, its
 * log naming which.
 */
export async function evacuate(ctx: OperationsContext, input: Input<'evacuate'>): Promise<JobView> {
  const { profileId, node, moves } = input;
  const cluster = await ctx.clusterName(profileId);
  const subject = { profileId, node, ...(cluster !== undefined ? { cluster } : {}) };
  return ctx.jobs.start('operations.evacuate', jobTitle('evacuate', { node, count: moves.length }), subject, async ({ signal, progress, log }) => {
    const failed: Sentence[] = [];
    let done = 0;
    progress({ unit: 'items', done, total: moves.length });
    await mapLimited(moves, evacuationConcurrency, async ({ vmid, target }) => {
      if (signal.aborted) return;
      const outcome = await migrateOne(ctx, { profileId, node, vmid, target });
      log(`VM ${vmid} → ${target}: ${outcome?.en ?? 'migrated'}`);
      if (outcome !== undefined) failed.push({ en: `${vmid} (${outcome.en})`, fr: `${vmid} (${outcome.fr})` });
      done += 1;
      progress({ unit: 'items', done, total: moves.length });
    });
    if (failed.length > 0) throw new DescribedError(evacuationFailure(failed, moves.length));
  });
}

/** Why an evacuation failed: how many of its migrations did, and why each. */
function evacuationFailure(failed: readonly Sentence[], total: number): Sentence {
  const count = failed.length;
  return {
    en: `${count} of ${total} migrations failed: ${failed.map((reason) => reason.en).join('; ')}`,
    fr: `${count} migration${count > 1 ? 's' : ''} sur ${total} ${count > 1 ? 'ont' : 'a'} échoué : ${failed.map((reason) => reason.fr).join(' ; ')}`,
  };
}

/** A migration's end without an error of its own: its state, as the task pane words it. */
const endedStates: Partial<Record<JobState, string>> = { failed: 'échec', cancelled: 'arrêtée' };

/** Why a migration job did not succeed: its error in the languages it was written in (PVE's exit status as it is), else its state. */
function endedReason(ended: JobView): Sentence {
  if (ended.error === undefined) return { en: ended.state, fr: endedStates[ended.state] ?? ended.state };
  const carried = ended.errorTranslations !== undefined ? { message: ended.error, translations: ended.errorTranslations } : { message: ended.error };
  return { en: ended.error, fr: inLocale(carried, 'fr') };
}

/** One guest of an evacuation, live when it runs, its local disks copied; answers why it failed, or undefined. */
async function migrateOne(ctx: OperationsContext, move: { profileId: string; node: string; vmid: number; target: string }): Promise<Sentence | undefined> {
  try {
    const precondition = await ctx.send(move.profileId, migratePreconditionCall(move.node, move.vmid, move.target));
    const job = await migrate(ctx, { ...move, online: precondition.running, withLocalDisks: needsLocalDiskCopy(precondition) });
    const ended = await ctx.jobs.whenEnded(job.id);
    if (ended === undefined) return { en: 'its task is no longer listed', fr: 'sa tâche ne figure plus dans la liste' };
    return ended.state === 'succeeded' ? undefined : endedReason(ended);
  } catch (error) {
    return sentenceOfError(error);
  }
}
