/**
 * The evacuation dialog's figures: the plan as the user changed it (targets
 * per guest, the memory left on each node), the moves sent, and afterwards
 * what became of each guest, from the guests' own migration jobs and the
 * evacuation's log. Pure, so each rule is tested without a dialog.
 */
import type { JobView } from '../../../../shared/domain/jobs';
import type { EvacuationMove, EvacuationPlan } from '../../../../shared/domain/operations';

/** The target the user chose per guest, by vmid; a guest absent here keeps the plan's. */
export type TargetChoices = Readonly<Record<number, string>>;

/** The target a guest goes to: the user's choice, else the plan's; none for a blocked guest. */
export function chosenTarget(move: EvacuationMove, choices: TargetChoices): string | undefined {
  if (move.blocked !== undefined) return undefined;
  return choices[move.vmid] ?? move.target;
}

/** The nodes a guest may be sent to: every node the plan weighs (online, not the one emptied). */
export function targetNodes(plan: EvacuationPlan): string[] {
  return Object.keys(plan.freeAfter)
    .filter((node) => node !== plan.node)
    .sort((a, b) => a.localeCompare(b));
}

/** Memory free on each target once the guests have moved as chosen: the plan's figures with each changed guest moved from one node to the other. */
export function freeAfter(plan: EvacuationPlan, choices: TargetChoices): Record<string, number> {
  const free: Record<string, number> = { ...plan.freeAfter };
  for (const move of plan.moves) {
    const planned = move.blocked === undefined ? move.target : undefined;
    const chosen = chosenTarget(move, choices);
    if (planned === chosen) continue;
    if (planned !== undefined) free[planned] = (free[planned] ?? 0) + move.memory;
    if (chosen !== undefined) free[chosen] = (free[chosen] ?? 0) - move.memory;
  }
  return free;
}

/** The migrations to ask for: every guest that is not blocked and has a target. */
export function movesToSend(plan: EvacuationPlan, choices: TargetChoices): { vmid: number; target: string }[] {
  return plan.moves.flatMap((move) => {
    const target = chosenTarget(move, choices);
    return target === undefined ? [] : [{ vmid: move.vmid, target }];
  });
}

/** What became of one guest sent off: moved, failed (with why), not started (the evacuation stopped first), or still under way. */
export type GuestFate =
  | { vmid: number; target: string; result: 'moved'; job?: JobView }
  | { vmid: number; target: string; result: 'failed'; reason: string }
  | { vmid: number; target: string; result: 'notStarted' }
  | { vmid: number; target: string; result: 'pending' };

const migrationKinds = new Set(['pve:qmigrate', 'pve:hamigrate']);
/** PVE's clock and the app's may differ: a guest's task counts as this evacuation's from a minute before it started. */
const clockSlackMs = 60_000;

/** The migration job of `vmid` this evacuation started, the newest if several. */
function migrationJobOf(vmid: number, evacuation: JobView, jobs: readonly JobView[]): JobView | undefined {
  const since = Date.parse(evacuation.startedAt) - clockSlackMs;
  return jobs
    .filter(
      (job) =>
        migrationKinds.has(job.kind) &&
        job.subject.vmid === vmid &&
        (job.subject.profileId === undefined || job.subject.profileId === evacuation.subject.profileId) &&
        Date.parse(job.startedAt) >= since,
    )
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}

/** The evacuation's log line about `vmid` (main writes `VM <vmid> → <target>: migrated` or the reason it failed), after the colon. */
function loggedResult(vmid: number, log: readonly string[]): string | undefined {
  const prefix = `VM ${vmid} `;
  const line = [...log].reverse().find((candidate) => candidate.startsWith(prefix));
  if (line === undefined) return undefined;
  const colon = line.indexOf(': ');
  return colon < 0 ? undefined : line.slice(colon + 2);
}

/** What became of each guest sent, read from its migration job, else from the evacuation's log. */
export function guestFates(
  sent: readonly { vmid: number; target: string }[],
  evacuation: JobView,
  jobs: readonly JobView[],
  log: readonly string[],
): GuestFate[] {
  const ended = evacuation.state !== 'queued' && evacuation.state !== 'running';
  return sent.map(({ vmid, target }): GuestFate => {
    const job = migrationJobOf(vmid, evacuation, jobs);
    if (job?.state === 'succeeded') return { vmid, target, result: 'moved', job };
    if (job?.state === 'failed' || job?.state === 'cancelled') return { vmid, target, result: 'failed', reason: job.error ?? job.state };
    const logged = loggedResult(vmid, log);
    if (logged === 'migrated') return { vmid, target, result: 'moved' };
    if (logged !== undefined) return { vmid, target, result: 'failed', reason: logged };
    return { vmid, target, result: ended && job === undefined ? 'notStarted' : 'pending' };
  });
}
