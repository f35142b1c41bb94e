import { maybeUpidData } from '../../../../shared/pve/pending';
import { storageContentData, type StorageContentEntry } from '../../../../shared/pve/storage';
import { nodeStorageData, type NodeStorageEntry } from '../../../../shared/pve/node';
import { z } from 'zod';
import { segment, type ApiCall } from './api-call';

export type { StorageContentEntry };

/** A volume id as PVE answers it: `<storage>:<volname>`. */
const volumeIdData = z.string().regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]:\S+$/i);

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

/** What `POST .../content` allocates: `filename` `vm-<vmid>-…` with the format's extension (or '' for PVE's next free name). */
export interface VolumeAllocation {
  vmid: number;
  filename: string;
  sizeBytes: number;
  format: 'raw' | 'qcow2';
}

/**
 * `POST /nodes/{node}/storage/{storage}/content` (pve-storage Content.pm `create` → `vdisk_alloc`): an empty image
 * owned by `vmid`, made with the storage's preallocation; answers its volume id. The size goes in KiB, rounded up.
 */
export function allocateVolumeCall(node: string, storage: string, volume: VolumeAllocation): ApiCall<string> {
  return {
    method: 'POST',
    path: `/nodes/${segment(node)}/storage/${segment(storage)}/content`,
    name: 'POST /nodes/{node}/storage/{storage}/content',
    authenticated: true,
    form: { vmid: volume.vmid, filename: volume.filename, size: String(Math.ceil(volume.sizeBytes / 1024)), format: volume.format },
    data: volumeIdData,
  };
}
