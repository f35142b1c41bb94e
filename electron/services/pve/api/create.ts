import { upidData } from '../../../../shared/pve/guest';
import { pveInteger } from '../../../../shared/pve/values';
import type { FormValue } from '../http/form';
import { segment, type ApiCall } from './api-call';

function guestPath(node: string, vmid: number): string {
  return `/nodes/${segment(node)}/qemu/${segment(vmid)}`;
}

/** `GET /cluster/nextid`: the lowest free VMID (PVE answers it as a string). */
export function nextVmidCall(): ApiCall<number> {
  return { method: 'GET', path: '/cluster/nextid', name: 'GET /cluster/nextid', authenticated: true, data: pveInteger };
}

/**
 * `POST /nodes/{node}/qemu` (qemu-server `create_vm`): a new guest from its
 * config keys, or a restore when the form has `archive`; the UPID of its task.
 */
export function createGuestCall(node: string, form: Record<string, FormValue>): ApiCall<string> {
  return { method: 'POST', path: `/nodes/${segment(node)}/qemu`, name: 'POST /nodes/{node}/qemu', authenticated: true, form, data: upidData };
}

export interface CloneForm {
  newid: number;
  name?: string;
  target?: string;
  full?: boolean;
  storage?: string;
  format?: string;
  pool?: string;
}

/** `POST /nodes/{node}/qemu/{vmid}/clone` (qemu-server `clone_vm`): the UPID of its `qmclone` task. */
export function cloneGuestCall(node: string, vmid: number, form: CloneForm): ApiCall<string> {
  return {
    method: 'POST',
    path: `${guestPath(node, vmid)}/clone`,
    name: 'POST /nodes/{node}/qemu/{vmid}/clone',
    authenticated: true,
    form: { ...form },
    data: upidData,
  };
}

/** `DELETE /nodes/{node}/qemu/{vmid}` (qemu-server `destroy_vm`); `purge` also drops it from backup jobs, HA and replication. */
export function destroyGuestCall(node: string, vmid: number, options: { purge: boolean; destroyUnreferencedDisks: boolean }): ApiCall<string> {
  return {
    method: 'DELETE',
    path: guestPath(node, vmid),
    name: 'DELETE /nodes/{node}/qemu/{vmid}',
    authenticated: true,
    query: { purge: options.purge, 'destroy-unreferenced-disks': options.destroyUnreferencedDisks },
    data: upidData,
  };
}
