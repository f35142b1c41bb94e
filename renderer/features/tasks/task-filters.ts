import { ref, watch, type Ref } from 'vue';
import type { JobView } from '../../../shared/domain/jobs';
import { hasEnded } from './job-format';

export const scopeFilters = ['mine', 'all'] as const;
export const stateFilters = ['any', 'running', 'failed'] as const;

export interface TaskFilters {
  scope: (typeof scopeFilters)[number];
  state: (typeof stateFilters)[number];
}

const storageKey = 'pve-desk.tasks.filters';
const defaults: TaskFilters = { scope: 'all', state: 'any' };

/** The filters as last chosen on this machine; anything unreadable falls back to "all, any state". */
export function readFilters(storage: Storage): TaskFilters {
  try {
    const saved = JSON.parse(storage.getItem(storageKey) ?? '{}') as Partial<Record<keyof TaskFilters, unknown>>;
    return {
      scope: scopeFilters.find((value) => value === saved.scope) ?? defaults.scope,
      state: stateFilters.find((value) => value === saved.state) ?? defaults.state,
    };
  } catch {
    return { ...defaults };
  }
}

/** A ref that remembers itself in `storage`, so the pane opens as the user left it. */
export function useRememberedFilters(storage: Storage = window.localStorage): Ref<TaskFilters> {
  const filters = ref(readFilters(storage));
  watch(filters, (value) => storage.setItem(storageKey, JSON.stringify(value)), { deep: true });
  return filters;
}

/**
 * "Mine" is what this app started plus the cluster tasks run under the user
 * the app is signed in as on that cluster (`userOf` answers per profile); a
 * token of that user counts as the user.
 */
export function matchesFilters(job: JobView, filters: TaskFilters, userOf: (profileId: string | undefined) => string | undefined): boolean {
  if (filters.scope === 'mine' && job.origin !== 'app') {
    const me = userOf(job.subject.profileId);
    if (me === undefined || job.user === undefined || job.user.split('!')[0] !== me) return false;
  }
  if (filters.state === 'running') return !hasEnded(job.state);
  if (filters.state === 'failed') return job.state === 'failed';
  return true;
}
