import type { JobPatch } from './job-registry';

/**
 * The end of a PVE task from its exit status (pve-common RESTEnvironment's
 * worker exit): `OK`; `WARNINGS: N`, a success worth a look at the log;
 * `interrupted by signal` when it was stopped (DELETE on the task);
 * anything else is the error itself.
 */
export function taskOutcome(exitstatus: string | undefined): JobPatch & { state: 'succeeded' | 'failed' | 'cancelled' } {
  if (exitstatus === 'OK') return { state: 'succeeded' };
  const warnings = /^WARNINGS: (\d+)$/.exec(exitstatus ?? '');
  if (warnings) return { state: 'succeeded', warnings: Number(warnings[1]) };
  if (exitstatus === 'interrupted by signal') return { state: 'cancelled', error: exitstatus };
  return { state: 'failed', error: exitstatus ?? 'unknown exit status' };
}

/** PVE's check in Tasks.pm: the task's user owns it; a token's task is also its user's, not the other way round. */
export function ownsTask(task: { user: string; tokenid?: string | undefined }, caller: string): boolean {
  if (task.tokenid) return caller === `${task.user}!${task.tokenid}` || caller === task.user;
  return caller === task.user;
}
