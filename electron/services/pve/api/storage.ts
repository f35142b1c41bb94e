import { maybeUpidData } from '../../../../shared/pve/pending';
import { storageContentData, type StorageContentEntry } from '../../../../shared/pve/storage';
import { nodeStorageData, type NodeStorageEntry } from '../../../../shared/pve/node';
import { segment, type ApiCall } from './api-call';

export type { StorageContentEntry };

/** `GET /nodes/{node}/storage?content=`: the node's storages, only those holding `content` when given (enabled ones only then). */
export function storagesWithContentCall(node: string, content?: string): ApiCall<NodeStorageEntry[]> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/storage`,
    name: 'GET /nodes/{node}/storage',
    authenticated: true,
    query: { content },
    data: nodeStorageData,
  };
}

/** `GET /nodes/{node}/storage/{storage}/content`: volumes of one content type, of one guest with `vmid`. */
export function storageContentCall(node: string, storage: string, filter: { content: string; vmid?: number }): ApiCall<StorageContentEntry[]> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/storage/${segment(storage)}/content`,
    name: 'GET /nodes/{node}/storage/{storage}/content',
    authenticated: true,
    query: { content: filter.content, vmid: filter.vmid },
    data: storageContentData,
  };
}

/** `DELETE .../content/{volume}` (pve-storage Content.pm `delete`): a task's UPID, or null when the storage removed it at once. */
export function deleteVolumeCall(node: string, storage: string, volume: string): ApiCall<string | null> {
  return {
    method: 'DELETE',
    path: `/nodes/${segment(node)}/storage/${segment(storage)}/content/${segment(volume)}`,
    name: 'DELETE /nodes/{node}/storage/{storage}/content/{volume}',
    authenticated: true,
    data: maybeUpidData,
  };
}
