import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** The current time, refreshed every `periodMs` while the component is mounted, so running durations tick. */
export function useNow(periodMs = 1000): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => (timer = setInterval(() => (now.value = Date.now()), periodMs)));
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
