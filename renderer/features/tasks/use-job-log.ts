import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useIpc } from '../../platform/use-ipc';

/** How often a running job's log is asked for new lines. */
export const logPollMs = 1000;
/** Lines asked per call; a full page means more is waiting, so the next is asked at once. */
export const logPageLines = 500;
/** A very long log keeps only its tail in the page: enough to read what happened last without slowing the view. */
export const maxLogLines = 5000;

/**
 * The log of the job `id` while it is set: read from its first line, then
 * followed from the last line read every second until the host says the log
 * is complete. Changing or clearing `id` stops following the previous one.
 */
export function useJobLog(id: Ref<string | undefined>) {
  const ipc = useIpc();
  const lines = ref<string[]>([]);
  const dropped = ref(0);
  const complete = ref(false);
  const error = ref<unknown>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped on every change of job, so an answer for the previous one is thrown away.
  let generation = 0;

  function keep(more: string[]): void {
    const all = lines.value.concat(more);
    const excess = all.length - maxLogLines;
    if (excess > 0) dropped.value += excess;
    lines.value = excess > 0 ? all.slice(excess) : all;
  }

  async function follow(jobId: string, from: number, asked: number): Promise<void> {
    try {
      const chunk = await ipc.call('jobs.log', { id: jobId, from, limit: logPageLines });
      if (asked !== generation) return;
      error.value = undefined;
      keep(chunk.lines);
      if (chunk.lines.length >= logPageLines) return follow(jobId, chunk.next, asked);
      if (chunk.complete) {
        complete.value = true;
        return;
      }
      timer = setTimeout(() => void follow(jobId, chunk.next, asked), logPollMs);
    } catch (caught) {
      if (asked !== generation) return;
      // A failed read is shown and tried again: the host may be reconnecting.
      error.value = caught;
      timer = setTimeout(() => void follow(jobId, from, asked), logPollMs);
    }
  }

  function stop(): void {
    generation++;
    clearTimeout(timer);
  }

  watch(
    id,
    (jobId) => {
      stop();
      lines.value = [];
      dropped.value = 0;
      complete.value = false;
      error.value = undefined;
      if (jobId !== undefined) void follow(jobId, 0, generation);
    },
    { immediate: true },
  );
  onBeforeUnmount(stop);

  return { lines, dropped, complete, error };
}
