import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { JobsDelta, JobView } from '../../../shared/domain/jobs';
import { hasEnded, newestFirst } from './job-format';
import { useIpc } from '../../platform/use-ipc';

/** Called once for each job the user started that reaches an end state while the app watches. */
export type JobEndedListener = (job: JobView) => void;

/**
 * Every job the pane shows, keyed by id. One `jobs.list` fills it; after that
 * only `jobs.changed` deltas touch it, replacing the changed jobs' objects and
 * nothing else, so a row that did not change keeps its object and the table
 * does not redraw it.
 */
export const useJobsStore = defineStore('jobs', () => {
  const ipc = useIpc();
  const byId = shallowRef(new Map<string, JobView>());
  const loaded = ref(false);
  const loadError = ref<unknown>();
  const endedListeners = new Set<JobEndedListener>();
  // Deltas that arrive while the first list is on its way are applied on top of it, in order.
  let pending: JobsDelta[] | undefined = [];
  let started: Promise<void> | undefined;

  const jobs = computed(() => [...byId.value.values()].sort(newestFirst));

  function announceEnd(previous: JobView | undefined, next: JobView): void {
    if (next.origin !== 'app' || !hasEnded(next.state)) return;
    if (previous !== undefined && hasEnded(previous.state)) return;
    for (const listener of endedListeners) listener(next);
  }

  function apply(delta: JobsDelta): void {
    const map = byId.value;
    for (const job of delta.upserted) {
      announceEnd(map.get(job.id), job);
      map.set(job.id, job);
    }
    for (const id of delta.removed) map.delete(id);
    triggerRef(byId);
  }

  async function load(): Promise<void> {
    try {
      const list = await ipc.call('jobs.list', {});
      byId.value = new Map(list.map((job) => [job.id, job]));
      for (const delta of pending ?? []) apply(delta);
      pending = undefined;
      loaded.value = true;
      loadError.value = undefined;
    } catch (error) {
      loadError.value = error;
    }
  }

  /** Subscribes and loads once, whichever component asks first. */
  function start(): Promise<void> {
    started ??= (async () => {
      ipc.on('jobs.changed', (delta) => {
        if (pending === undefined) apply(delta);
        else pending.push(delta);
      });
      await load();
    })();
    return started;
  }

  function onJobEnded(listener: JobEndedListener): () => void {
    endedListeners.add(listener);
    return () => endedListeners.delete(listener);
  }

  function get(id: string): JobView | undefined {
    return byId.value.get(id);
  }

  async function cancel(id: string): Promise<boolean> {
    const { cancelled } = await ipc.call('jobs.cancel', { id });
    return cancelled;
  }

  return { jobs, loaded, loadError, start, get, cancel, onJobEnded };
});
