import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { P2vJobView } from '../../../shared/domain/p2v';
import type { MethodInput } from '../../../shared/ipc/contract';
import { useIpc } from '../../platform/use-ipc';

/**
 * Every migration main keeps (`p2v.list`), kept current by `p2v.changed`: an event replaces its migration's view,
 * so the list, the progress step and the report follow the job without asking again.
 */
export const useP2vStore = defineStore('p2v', () => {
  const ipc = useIpc();
  const byId = shallowRef(new Map<string, P2vJobView>());
  const loadError = ref<unknown>();
  let started: Promise<void> | undefined;

  const jobs = computed(() => [...byId.value.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)));

  function put(job: P2vJobView): P2vJobView {
    byId.value = new Map(byId.value).set(job.id, job);
    return job;
  }

  /** Reads the list once and follows the events from then on; again after a failed read. */
  function start(): Promise<void> {
    if (started !== undefined) return started;
    ipc.on('p2v.changed', (job) => void put(job));
    started = reload();
    return started;
  }

  async function reload(): Promise<void> {
    try {
      const list = await ipc.call('p2v.list', {});
      const next = new Map(byId.value);
      for (const job of list) next.set(job.id, job);
      byId.value = next;
      loadError.value = undefined;
    } catch (error) {
      loadError.value = error;
    }
  }

  function get(id: string): P2vJobView | undefined {
    return byId.value.get(id);
  }

  async function forget(id: string): Promise<void> {
    const { forgotten } = await ipc.call('p2v.forget', { id });
    if (!forgotten) return;
    const next = new Map(byId.value);
    next.delete(id);
    byId.value = next;
  }

  return {
    jobs,
    loadError,
    start,
    reload,
    get,
    forget,
    begin: async (plan: MethodInput<'p2v.start'>) => put(await ipc.call('p2v.start', plan)),
    cancel: async (id: string) => put(await ipc.call('p2v.cancel', { id })),
    resume: async (id: string) => put(await ipc.call('p2v.resume', { id })),
  };
});
