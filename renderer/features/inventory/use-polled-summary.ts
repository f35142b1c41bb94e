import { onBeforeUnmount, onMounted, shallowRef, watch } from 'vue';
import type { MethodInput, MethodName, MethodResult } from '../../../shared/ipc/contract';
import { useIpc } from '../../platform/use-ipc';

/** How often a shown summary asks again: its figures (CPU, memory, uptime) move faster than the inventory's poll reports them. */
export const summaryRefreshMs = 5000;

/**
 * A summary read now, again every few seconds while the view is shown (and the
 * window visible), and at
 * once when what it is about changes (`input`, compared by value) or when the
 * view calls `refresh()` (the inventory entry of the same object changed).
 * The last answer stays while a later read fails, so a cluster that stops
 * answering keeps its last figures beside the error.
 */
export function usePolledSummary<M extends MethodName>(method: M, input: () => MethodInput<M> | undefined, intervalMs = summaryRefreshMs) {
  const ipc = useIpc();
  const data = shallowRef<MethodResult<M>>();
  const error = shallowRef<unknown>();
  const loaded = shallowRef(false);
  let asked: string | undefined;
  let inFlight = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  async function refresh(): Promise<void> {
    const current = input();
    if (current === undefined || inFlight) return;
    const key = JSON.stringify(current);
    inFlight = true;
    try {
      const result = await ipc.call(method, current);
      if (key === asked) {
        data.value = result;
        error.value = undefined;
      }
    } catch (failure) {
      if (key === asked) error.value = failure;
    } finally {
      inFlight = false;
      if (key === asked) loaded.value = true;
    }
  }

  watch(
    () => JSON.stringify(input() ?? null),
    (key) => {
      // Another guest or node: nothing of the previous one may show under its name.
      asked = key;
      data.value = undefined;
      error.value = undefined;
      loaded.value = false;
      inFlight = false;
      void refresh();
    },
    { immediate: true },
  );

  onMounted(() => {
    // A hidden window asks nothing; the inventory's own poll and the entry watch bring it up to date when shown again.
    timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void refresh();
    }, intervalMs);
  });
  onBeforeUnmount(() => clearInterval(timer));

  return { data, error, loaded, refresh };
}
