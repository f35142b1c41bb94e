import { shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { StorageView } from '../../../../shared/domain/operations';
import { describeError } from '../../../platform/describe-error';
import { useIpc } from '../../../platform/use-ipc';
import { formatBytes, shownText } from '../../inventory';

/** Storage types that keep disks as files, where the format (raw, qcow2, vmdk) is the user's choice; block storages hold raw only. */
const fileStorageTypes = new Set(['dir', 'nfs', 'cifs', 'glusterfs', 'cephfs', 'btrfs']);

export function holdsFiles(storage: StorageView): boolean {
  return fileStorageTypes.has(storage.type);
}

/**
 * The storages of the guest's node that hold one kind of content, read once
 * for a dialog, with their free space in words for the choice list.
 */
export function useStorages() {
  const ipc = useIpc();
  const { t, locale } = useI18n();
  const storages = shallowRef<StorageView[]>([]);
  const loading = shallowRef(false);
  const error = shallowRef<string>();

  async function load(profileId: string, node: string, content: 'images' | 'iso'): Promise<void> {
    loading.value = true;
    try {
      storages.value = (await ipc.call('operations.storages', { profileId, node, content })).filter((storage) => storage.active);
      error.value = undefined;
    } catch (failure) {
      error.value = describeError(t, failure);
    } finally {
      loading.value = false;
    }
  }

  /** "local-lvm (lvmthin) · 41 GiB free". */
  function label(storage: StorageView): string {
    const name = `${shownText(storage.storage, 64)} (${shownText(storage.type, 20)})`;
    return storage.avail === undefined ? name : t('operations.config.storage.free', { name, free: formatBytes(storage.avail, locale.value) });
  }

  return { storages, loading, error, load, label };
}
