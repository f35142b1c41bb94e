import type { CreateVmRequest } from '../../../shared/domain/operations';
import type { FormValue } from '../pve';

/**
 * PVE's parameters for `POST /nodes/{node}/qemu` from the create dialog's
 * choices, as PVE's web UI sends them: one disk on the chosen bus (SCSI with
 * `virtio-scsi-single`), the ISO (or an empty drive) on ide2, one NIC, and
 * the boot order disk, CD, network.
 */
export function createVmForm(request: Omit<CreateVmRequest, 'profileId' | 'node'>): Record<string, FormValue> {
  const disk = `${request.disk.bus}0`;
  return {
    vmid: request.vmid,
    name: request.name,
    ostype: request.ostype,
    sockets: request.sockets,
    cores: request.cores,
    memory: request.memory,
    balloon: request.balloon,
    ...(request.disk.bus === 'scsi' ? { scsihw: 'virtio-scsi-single' } : {}),
    [disk]: `${request.disk.storage}:${request.disk.sizeGiB}${request.disk.format !== undefined ? `,format=${request.disk.format}` : ''}`,
    ide2: `${request.iso ?? 'none'},media=cdrom`,
    net0: `${request.nic.model},bridge=${request.nic.bridge}`,
    boot: `order=${disk};ide2;net0`,
    agent: request.agent ? 1 : 0,
    start: request.start ? 1 : 0,
    pool: request.pool,
  };
}
