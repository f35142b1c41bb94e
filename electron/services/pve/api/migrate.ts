import { z } from 'zod';
import { segment, type ApiCall } from './api-call';
import { pveBoolean, pveInteger } from '../../../../shared/pve/values';

/** One entry of `local_disks` (qemu-server's foreach_volid attributes; more may come). */
const localDisk = z.object({
  volid: z.string(),
  drivename: z.string().optional(),
  size: pveInteger.optional(),
  cdrom: pveBoolean.optional(),
  is_unused: pveBoolean.optional(),
  is_cloudinit: pveBoolean.optional(),
});

/**
 * `GET /nodes/{node}/qemu/{vmid}/migrate` (qemu-server
 * `migrate_vm_precondition`). PVE 8.4 and 9 agree on these fields but for
 * `has-dbus-vmstate` (9.0 and later) and `dependent-ha-resources` (9.0, HA
 * guests only). `not_allowed_nodes` keeps an entry, often empty, for every
 * node PVE checked: a node is refused only when its entry names a reason.
 * Offline nodes are not refused here; the caller checks node status.
 */
const preconditionData = z
  .object({
    running: pveBoolean,
    allowed_nodes: z.array(z.string()).optional(),
    not_allowed_nodes: z
      .record(
        z.string(),
        z.object({
          unavailable_storages: z.array(z.string()).optional(),
          'unavailable-resources': z.array(z.string()).optional(),
          'blocking-ha-resources': z.array(z.object({ sid: z.string(), cause: z.string() })).optional(),
        }),
      )
      .optional(),
    local_disks: z.array(localDisk),
    local_resources: z.array(z.string()),
    'mapped-resources': z.array(z.string()).optional(),
    'has-dbus-vmstate': pveBoolean.optional(),
  })
  .transform((answer) => ({
    running: answer.running,
    allowedNodes: answer.allowed_nodes ?? [],
    refusedNodes: Object.fromEntries(
      Object.entries(answer.not_allowed_nodes ?? {})
        .map(
          ([node, why]) =>
            [
              node,
              [...(why.unavailable_storages ?? []), ...(why['unavailable-resources'] ?? []), ...(why['blocking-ha-resources'] ?? []).map((r) => r.sid)],
            ] as const,
        )
        .filter(([, reasons]) => reasons.length > 0),
    ),
    localDisks: answer.local_disks,
    /** Local CD images pin the guest: PVE's migration stops on them ("local cdrom image"). */
    localCdroms: answer.local_disks.filter((disk) => disk.cdrom === true && disk.is_cloudinit !== true).map((disk) => disk.volid),
    localResources: answer.local_resources,
    canMigrateConntrack: answer['has-dbus-vmstate'] ?? false,
  }));
export type MigrationPrecondition = z.infer<typeof preconditionData>;

export function migratePreconditionCall(node: string, vmid: number, target?: string): ApiCall<MigrationPrecondition> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/migrate`,
    name: 'GET /nodes/{node}/qemu/{vmid}/migrate',
    authenticated: true,
    query: { target },
    data: preconditionData,
  };
}

/** `POST /nodes/{node}/qemu/{vmid}/migrate` (qemu-server `migrate_vm`): the UPID of its `qmigrate` task (or of the HA request for a managed guest). */
export function migrateGuestCall(
  node: string,
  vmid: number,
  form: { target: string; online: boolean; withLocalDisks: boolean; targetStorage?: string },
): ApiCall<string> {
  return {
    method: 'POST',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/migrate`,
    name: 'POST /nodes/{node}/qemu/{vmid}/migrate',
    authenticated: true,
    form: { target: form.target, online: form.online, 'with-local-disks': form.withLocalDisks, targetstorage: form.targetStorage },
    data: z.string().min(1),
  };
}
