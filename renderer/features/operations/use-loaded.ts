import { shallowRef, watch, type ShallowRef } from 'vue';

export interface Loaded<T> {
  data: ShallowRef<T | undefined>;
  error: ShallowRef<unknown>;
  loading: ShallowRef<boolean>;
}

/**
 * A read a dialog's choices depend on (a node's storages, its bridges): run again with each new `source` (undefined
 * while there is nothing to read). An answer that comes after a newer read started is dropped, so a quick change of
 * node never shows the previous node's storages.
 */
export function useLoaded<Source, T>(source: () => Source | undefined, read: (from: Source) => Promise<T>): Loaded<T> {
  const data = shallowRef<T>();
  const error = shallowRef<unknown>();
  const loading = shallowRef(false);
  let latest = 0;

  watch(
    source,
    async (from) => {
      const ticket = ++latest;
      data.value = undefined;
      error.value = undefined;
      loading.value = from !== undefined;
      if (from === undefined) return;
      try {
        const answer = await read(from);
        if (ticket === latest) data.value = answer;
      } catch (failure) {
        if (ticket === latest) error.value = failure;
      } finally {
        if (ticket === latest) loading.value = false;
      }
    },
    { immediate: true },
  );

  return { data, error, loading };
}
