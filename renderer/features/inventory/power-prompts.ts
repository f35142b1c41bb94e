import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { PowerAction } from '../../../shared/domain/inventory';
import type { JobView } from '../../../shared/domain/jobs';
import { jobFailure, useJobsStore } from '../tasks';
import type { InventoryEntry } from './inventory-store';

/** What the user answered: go (with shutdown's timeout) or `undefined` for cancel. */
export interface PowerAnswer {
  timeout?: number;
}

/** A question PowerActionsHost shows: run `action` on `targets`? */
export interface PowerRequest {
  /** Tells one question from the next (the dialog starts afresh). */
  id: number;
  action: PowerAction;
  targets: InventoryEntry[];
  answer: (answer: PowerAnswer | undefined) => void;
}

/** A guest whose shutdown job failed (its timeout passed, or the guest refused), with why. */
export interface FailedShutdown {
  entry: InventoryEntry;
  error?: string;
}

/**
 * The questions power actions ask, shared between whoever runs an action
 * (tree, list, summary, palette) and the one PowerActionsHost that shows
 * them: a confirmation at a time, and the shutdowns that failed, gathered
 * into one "stop now?" offer.
 */
export const usePowerPrompts = defineStore('inventory-power', () => {
  const jobs = useJobsStore();
  const request = shallowRef<PowerRequest>();
  const failedShutdowns = shallowRef<FailedShutdown[]>([]);
  /** Shutdown jobs still running, by job id. */
  const watched = new Map<string, InventoryEntry>();
  let asked = 0;

  function ask(action: PowerAction, targets: InventoryEntry[]): Promise<PowerAnswer | undefined> {
    // A newer question replaces one left open (another window part asked): the older one counts as cancelled.
    request.value?.answer(undefined);
    return new Promise((resolve) => {
      request.value = {
        id: ++asked,
        action,
        targets,
        answer: (answer) => {
          request.value = undefined;
          resolve(answer);
        },
      };
    });
  }

  function offerStop(entry: InventoryEntry, job: JobView): void {
    failedShutdowns.value = [...failedShutdowns.value.filter((failed) => failed.entry.key !== entry.key), { entry, error: jobFailure(job) }];
  }

  /** Follows the shutdown jobs just started (in the order of `targets`): any that fails joins the stop offer. */
  function watchShutdowns(started: JobView[], targets: InventoryEntry[]): void {
    void jobs.start();
    started.forEach((job, index) => {
      const entry = targets[index];
      if (entry === undefined) return;
      const now = jobs.get(job.id) ?? job;
      if (now.state === 'failed') offerStop(entry, now);
      else if (now.state === 'queued' || now.state === 'running') watched.set(job.id, entry);
    });
  }

  jobs.onJobEnded((job) => {
    const entry = watched.get(job.id);
    if (entry === undefined) return;
    watched.delete(job.id);
    if (job.state === 'failed') offerStop(entry, job);
  });

  /** Empties the offer (the user answered it) and gives what it held. */
  function takeFailedShutdowns(): FailedShutdown[] {
    const taken = failedShutdowns.value;
    failedShutdowns.value = [];
    return taken;
  }

  return { request, failedShutdowns, ask, watchShutdowns, takeFailedShutdowns };
});
