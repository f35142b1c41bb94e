import { maybeUpidData, pendingData, type PendingAnswer } from '../../../../shared/pve/pending';
import type { FormValue } from '../http/form';
import { segment, type ApiCall } from './api-call';

export type { PendingAnswer };

/** `GET /nodes/{node}/qemu/{vmid}/pending`: each key's current and pending value, pending deletions, and the digest as a key. */
export function guestPendingCall(node: string, vmid: number): ApiCall<PendingAnswer> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/pending`,
    name: 'GET /nodes/{node}/qemu/{vmid}/pending',
    authenticated: true,
    data: pendingData,
  };
}

/**
 * `POST /nodes/{node}/qemu/{vmid}/config` (qemu-server `update_vm_async`): the
 * UPID of its `qmconfig` task, or null when PVE finished within
 * `background_delay`. A `digest` that no longer matches fails the call.
 */
export function updateGuestConfigCall(node: string, vmid: number, form: Record<string, FormValue>): ApiCall<string | null> {
  return {
    method: 'POST',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/config`,
    name: 'POST /nodes/{node}/qemu/{vmid}/config',
    authenticated: true,
    form,
    data: maybeUpidData,
  };
}
