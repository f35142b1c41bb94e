import { upidData } from '../../../../shared/pve/guest';
import { segment, type ApiCall } from './api-call';

/** `PUT /nodes/{node}/qemu/{vmid}/resize` (qemu-server `resize_vm`): `size` absolute (`42G`) or relative (`+1G`); the UPID of its task. */
export function resizeDiskCall(node: string, vmid: number, form: { disk: string; size: string; digest?: string }): ApiCall<string> {
  return {
    method: 'PUT',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/resize`,
    name: 'PUT /nodes/{node}/qemu/{vmid}/resize',
    authenticated: true,
    form: { ...form },
    data: upidData,
  };
}

/** `POST /nodes/{node}/qemu/{vmid}/move_disk` (qemu-server `move_vm_disk`): the UPID of its `qmmove` task. */
export function moveDiskCall(
  node: string,
  vmid: number,
  form: { disk: string; storage: string; format?: string; delete: boolean; digest?: string },
): ApiCall<string> {
  return {
    method: 'POST',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/move_disk`,
    name: 'POST /nodes/{node}/qemu/{vmid}/move_disk',
    authenticated: true,
    form: { ...form },
    data: upidData,
  };
}
