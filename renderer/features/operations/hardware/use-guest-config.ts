import { computed, inject, onScopeDispose, provide, shallowRef, watch, type InjectionKey } from 'vue';
import type { JobState, JobView } from '../../../../shared/domain/jobs';
import type { ConfigChange, GuestConfigView } from '../../../../shared/domain/operations';
import { useIpc } from '../../../platform/use-ipc';
import { useNotify } from '../../../platform/use-notify';
import { useInventoryReady } from '../../inventory';
import { useJobsStore } from '../../tasks';

const endedStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/**
 * One guest's config as the Hardware and Options tabs edit it: found on its
 * node through the inventory, read with its pending changes and digest, read
 * again when a change's job ends (PVE writes the config inside a `qmconfig`
 * task) or when the user asks after a concurrent edit. Every change sends the
 * digest of the last read, so PVE refuses it if someone else wrote since.
 */
export function useGuestConfig(props: { profileId: string; vmid: string }) {
  const ipc = useIpc();
  const notify = useNotify();
  const jobs = useJobsStore();
  const { inventory, ready, error: inventoryError } = useInventoryReady();

  const entry = computed(() => inventory.entry(props.profileId, `qemu/${props.vmid}`));
  const guest = computed(() => {
    const node = entry.value?.item.node;
    const vmid = Number(props.vmid);
    return node === undefined || !Number.isInteger(vmid) ? undefined : { profileId: props.profileId, node, vmid };
  });
  const config = shallowRef<GuestConfigView>();
  const error = shallowRef<unknown>();
  const loading = shallowRef(false);
  // Only the answer to the latest read may show: an older one may be of another guest, or older than a change.
  let generation = 0;

  async function reload(): Promise<void> {
    const target = guest.value;
    if (target === undefined) return;
    const asked = ++generation;
    loading.value = true;
    try {
      const answer = await ipc.call('operations.config', target);
      if (asked !== generation) return;
      config.value = answer;
      error.value = undefined;
    } catch (failure) {
      if (asked === generation) error.value = failure;
    } finally {
      if (asked === generation) loading.value = false;
    }
  }

  watch(
    () => (guest.value === undefined ? undefined : { identity: `${guest.value.profileId}/${guest.value.vmid}`, node: guest.value.node }),
    (now, before) => {
      // Another guest (not the same one migrated to another node): nothing of the previous one may show.
      if (now?.identity !== before?.identity) config.value = undefined;
      if (now?.identity !== before?.identity || now?.node !== before?.node) void reload();
    },
    { immediate: true },
  );

  const stops = new Set<() => void>();
  onScopeDispose(() => stops.forEach((stop) => stop()));

  /** Reads the config again once the job has ended, whatever its end: the task pane reports a failure. */
  function reloadAfter(job: JobView): void {
    if (endedStates.includes(job.state)) {
      void reload();
      return;
    }
    void jobs.start();
    const stop = watch(
      () => jobs.get(job.id)?.state,
      (state) => {
        if (state === undefined || !endedStates.includes(state)) return;
        stop();
        stops.delete(stop);
        void reload();
      },
    );
    stops.add(stop);
  }

  /** `operations.updateConfig` with the digest of the last read; the config is read again when its job ends. */
  async function update(change: Partial<ConfigChange>): Promise<JobView> {
    const target = guest.value;
    const digest = config.value?.digest;
    if (target === undefined || digest === undefined) throw new Error('the guest config is not read yet');
    const job = await ipc.call('operations.updateConfig', {
      ...target,
      digest,
      set: change.set ?? {},
      delete: change.delete ?? [],
      revert: change.revert ?? [],
    });
    reloadAfter(job);
    return job;
  }

  /** The row whose pending change is being dropped, for its Revert button's spinner. */
  const reverting = shallowRef<string>();

  /** Drops the pending changes of one row (its config keys); a failure is notified, the row stays as it was. */
  async function revert(row: string, keys: string[]): Promise<void> {
    reverting.value = row;
    try {
      await update({ revert: keys });
    } catch (failure) {
      notify.failure('operations.config.hardware.revertFailed', failure);
    } finally {
      reverting.value = undefined;
    }
  }

  return { entry, guest, config, error, loading, ready, inventoryError, reload, reloadAfter, update, reverting, revert };
}

export type GuestConfigHandle = ReturnType<typeof useGuestConfig>;

const guestConfigKey: InjectionKey<GuestConfigHandle> = Symbol('guest config');

/** Reads the guest's config for a tab and hands it to the tab's dialogs. */
export function provideGuestConfig(props: { profileId: string; vmid: string }): GuestConfigHandle {
  const handle = useGuestConfig(props);
  provide(guestConfigKey, handle);
  return handle;
}

/** The config the tab read, from one of its dialogs. */
export function injectGuestConfig(): GuestConfigHandle {
  const handle = inject(guestConfigKey);
  if (handle === undefined) throw new Error('No guest config: the dialog belongs inside a tab that called provideGuestConfig().');
  return handle;
}
