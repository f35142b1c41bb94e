import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { configVolumes, ensureVolumes } from '../../cluster/disks';
import { guestVolumes, localResources, pinnedByVncClipboard, type GuestVolume } from '../../cluster/migration-blockers';
import type { LabGuest } from '../../cluster/model';
import { parseVolid } from '../../cluster/storage';
import type { ClusterServices } from '../../cluster/services';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { checkNotLocked, guestAt } from '../guest-view';
import { parseArgs, pveBool, pveInt } from '../params';
import { isHaManaged, queueHaRequest } from '../ha-requests';
import { guestRef, lockedTask } from '../tasks-helper';
import { migrationSteps } from '../../qemu/migration';

function localDisks(lab: ClusterServices, guest: LabGuest): { key: string; volid: string; size?: number }[] {
  return configVolumes(guest.config).filter((v) => !lab.storage.get(parseVolid(v.volid)?.storage ?? '')?.shared);
}

const checkArgs = z.object({ target: z.string().optional() });

/** Volumes not on shared storage, as `migrate_vm_precondition`'s check_vm_disks_local keeps them (empty CD drives left out). */
function localVolumes(lab: ClusterServices, guest: LabGuest): GuestVolume[] {
  return guestVolumes(guest.config, guest.snapshots).filter((v) => {
    if (v.shared || (v.cdrom && v.volid === 'none')) return false;
    const storage = parseVolid(v.volid)?.storage;
    return !(storage && lab.storage.get(storage)?.shared);
  });
}

/**
 * GET …/migrate (qemu-server PVE/API2/Qemu.pm `migrate_vm_precondition`).
 * Every other cluster node is listed, online or not: PVE only reports
 * storages a node lacks (the lab's storages are on every node), and keeps an
 * empty entry in `not_allowed_nodes` for each node it checked.
 */
function precondition(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Migrate');
  parseArgs(checkArgs, ctx.args);
  checkNotLocked(guest);
  const lab = ctx.lab;
  const running = lab.runtime.info(guest.vmid) !== undefined;
  const others = lab.model.nodes.filter((n) => n.name !== guest.node).map((n) => n.name);
  const resources = localResources(guest.config, running);
  if (pinnedByVncClipboard(guest.config, running)) resources.push('clipboard=vnc');
  const answer: Record<string, unknown> = {
    running: running ? 1 : 0,
    allowed_nodes: others,
    not_allowed_nodes: Object.fromEntries(others.map((n) => [n, {}])),
    local_disks: localVolumes(lab, guest),
    local_resources: resources,
    'mapped-resources': [],
    'mapped-resource-info': {},
  };
  // qemu-server 9.0 added conntrack state migration and HA resource affinity.
  if (lab.release.major >= 9) {
    answer['has-dbus-vmstate'] = 1;
    if (guest.hastate !== undefined) answer['dependent-ha-resources'] = [];
  }
  return answer;
}

const migrateArgs = z.object({
  target: z.string(),
  online: pveBool.optional(),
  'with-local-disks': pveBool.optional(),
  targetstorage: z.string().optional(),
  bwlimit: pveInt(0).optional(),
  force: pveBool.optional(),
  migration_type: z.enum(['secure', 'insecure']).optional(),
});

/**
 * POST .../migrate (qemu-server PVE/API2/Qemu.pm `migrate_vm`, the checks of
 * PVE/QemuMigrate.pm `prepare` and `scan_local_volumes` in the task): live
 * through the runtime (real QEMU migration) with shared disks; offline
 * copies local images. An HA-managed guest is handed to the HA stack.
 */
function migrate(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  const args = parseArgs(migrateArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Migrate');
  const lab = ctx.lab;
  if (args.target === guest.node) throw parameterError({ target: 'target is local node.' });
  const target = lab.model.node(args.target);
  if (!target) throw new ApiError(500, `no such cluster node '${args.target}'`);
  if (args.force && ctx.userName !== 'root@pam') throw parameterError({ force: 'Only root may use this option.' });
  checkNotLocked(guest);
  if (guest.config.template === '1' && args.online) throw new ApiError(500, "can't live migrate a template");
  const running = lab.runtime.info(guest.vmid) !== undefined;
  if (running && !args.online) throw new ApiError(500, `can't migrate running VM without --online`);
  if (isHaManaged(ctx, guest))
    return queueHaRequest(ctx, guest, {
      type: 'hamigrate',
      message: `Requesting HA migration for VM ${guest.vmid} to node ${target.name}`,
      state: guest.hastate ?? 'started',
      carryOut: migrate,
      // PVE::HA::Resources::PVEVM `migrate`: local devices and disks are the admin's business once HA manages the guest.
      args: { target: target.name, online: running ? '1' : '0', force: '1', 'with-local-disks': '1' },
    });
  const locals = localDisks(lab, guest);
  if (running && locals.length > 0) {
    if (!args['with-local-disks']) throw new ApiError(500, `can't live migrate attached local disks without with-local-disks option`);
    throw new ApiError(500, 'live migration with local disks (NBD mirror) is not implemented by the lab; move the disks to shared storage first');
  }
  const source = guest.node;
  return lockedTask(ctx, guest, 'migrate', { type: 'qmigrate' }, (plain) =>
    migrationSteps(plain, async (task) => {
      task.log(`starting migration of VM ${guest.vmid} to node '${target.name}' (${target.ip})`);
      if (lab.faults.isOffline(target.name)) throw new Error("Can't connect to destination address using public key");
      const devices = localResources(guest.config, running);
      if (devices.length > 0) {
        if (!args.force) throw new Error(`can't migrate VM which uses local devices: ${devices.join(', ')}`);
        task.log('migrating VM which uses local devices');
      }
      const cdroms = localVolumes(lab, guest).filter((v) => v.cdrom && !v.is_cloudinit);
      for (const cdrom of cdroms) task.log(`can't migrate local disk '${cdrom.volid}': local cdrom image`);
      if (cdroms.length > 0) throw new Error(`can't migrate VM - check log`);
      if (running) {
        await lab.runtime.migrate(guestRef(guest), target.name, task);
      } else {
        await ensureVolumes(lab.storage, guest.config, source, task.log);
        for (const disk of locals) {
          const from = lab.storage.resolve(disk.volid, source);
          const to = lab.storage.resolve(disk.volid, target.name);
          task.log(`found local disk '${disk.volid}' (attached)`);
          task.signal.throwIfAborted();
          await mkdir(dirname(to), { recursive: true });
          await copyFile(from, to);
          task.log(`volume '${disk.volid}' is '${disk.volid}' on the target`);
        }
        for (const disk of locals) await rm(lab.storage.resolve(disk.volid, source), { force: true });
      }
      guest.node = target.name;
      lab.model.changed();
    }),
  );
}

export const migrateRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/migrate', handler: precondition, params: checkArgs },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/migrate', handler: migrate, params: migrateArgs },
];
