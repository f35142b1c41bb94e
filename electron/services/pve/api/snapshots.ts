import { upidData } from '../../../../shared/pve/guest';
import { snapshotListData, type SnapshotEntry } from '../../../../shared/pve/snapshot';
import { segment, type ApiCall } from './api-call';

export type { SnapshotEntry };

function snapshotsPath(node: string, vmid: number): string {
  return `/nodes/${segment(node)}/qemu/${segment(vmid)}/snapshot`;
}

export function snapshotListCall(node: string, vmid: number): ApiCall<SnapshotEntry[]> {
  return { method: 'GET', path: snapshotsPath(node, vmid), name: 'GET /nodes/{node}/qemu/{vmid}/snapshot', authenticated: true, data: snapshotListData };
}

/** `POST .../snapshot`: `vmstate` saves the RAM of a running guest too. */
export function createSnapshotCall(node: string, vmid: number, form: { snapname: string; description?: string; vmstate: boolean }): ApiCall<string> {
  return {
    method: 'POST',
    path: snapshotsPath(node, vmid),
    name: 'POST /nodes/{node}/qemu/{vmid}/snapshot',
    authenticated: true,
    form: { ...form },
    data: upidData,
  };
}

/** `POST .../snapshot/{snapname}/rollback`; `start` starts the guest afterwards (PVE 8.1 and later). */
export function rollbackSnapshotCall(node: string, vmid: number, snapname: string, start: boolean): ApiCall<string> {
  return {
    method: 'POST',
    path: `${snapshotsPath(node, vmid)}/${segment(snapname)}/rollback`,
    name: 'POST /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback',
    authenticated: true,
    form: { start: start ? true : undefined },
    data: upidData,
  };
}

export function deleteSnapshotCall(node: string, vmid: number, snapname: string): ApiCall<string> {
  return {
    method: 'DELETE',
    path: `${snapshotsPath(node, vmid)}/${segment(snapname)}`,
    name: 'DELETE /nodes/{node}/qemu/{vmid}/snapshot/{snapname}',
    authenticated: true,
    data: upidData,
  };
}
