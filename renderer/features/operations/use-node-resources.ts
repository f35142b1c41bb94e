import type { StorageView } from '../../../shared/domain/operations';
import { useIpc } from '../../platform/use-ipc';
import type { NodeRef } from '../inventory';
import { useLoaded } from './use-loaded';

/** Storage types whose disks are files, where a disk's format (raw, qcow2, vmdk) is a choice (pve-storage's `path`-based plugins). */
const fileStorageTypes: ReadonlySet<string> = new Set(['dir', 'nfs', 'cifs', 'glusterfs', 'cephfs', 'btrfs']);

export function isFileStorage(storage: StorageView): boolean {
  return fileStorageTypes.has(storage.type);
}

/** The storages of a node that hold guest disks, active ones only: where a new disk may go. */
export function useDiskStorages(node: () => NodeRef | undefined) {
  const ipc = useIpc();
  return useLoaded(node, async ({ profileId, node: name }) =>
    (await ipc.call('operations.storages', { profileId, node: name, content: 'images' })).filter((storage) => storage.active),
  );
}

/** Every ISO image the node can reach, from each of its active ISO storages. */
export function useIsoImages(node: () => NodeRef | undefined) {
  const ipc = useIpc();
  return useLoaded(node, async ({ profileId, node: name }) => {
    const storages = (await ipc.call('operations.storages', { profileId, node: name, content: 'iso' })).filter((storage) => storage.active);
    const lists = await Promise.all(storages.map(({ storage }) => ipc.call('operations.volumes', { profileId, node: name, storage, content: 'iso' })));
    return lists.flat();
  });
}

/** The bridges a NIC of a guest on this node may join. */
export function useBridges(node: () => NodeRef | undefined) {
  const ipc = useIpc();
  return useLoaded(node, ({ profileId, node: name }) => ipc.call('operations.bridges', { profileId, node: name }));
}
