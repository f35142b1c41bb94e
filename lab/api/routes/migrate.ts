import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { configVolumes, ensureVolumes } from '../../cluster/disks';
import type { LabGuest } from '../../cluster/model';
import { parseVolid } from '../../cluster/storage';
import type { ClusterServices } from '../../cluster/services';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError } from '../errors';
import { guestAt } from '../guest-view';
import { parseArgs, pveBool, pveInt } from '../params';
import { guestRef, lockedTask } from '../tasks-helper';

function localDisks(lab: ClusterServices, guest: LabGuest): { key: string; volid: string; size?: number }[] {
  return configVolumes(guest.config).filter((v) => !lab.storage.get(parseVolid(v.volid)?.storage ?? '')?.shared);
}

/** Config entries that pin a guest to its node (PVE's check_local_resources). */
function localResources(guest: LabGuest): string[] {
  return Object.entries(guest.config)
    .filter(
      ([key, value]) => /^hostpci\d+$/.test(key) || (/^usb\d+$/.test(key) && /host=/.test(value)) || (/^serial\d$/.test(key) && value.startsWith('/dev/')),
    )
    .map(([key]) => key);
}

const checkArgs = z.object({ target: z.string().optional() });

function precondition(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Migrate');
  parseArgs(checkArgs, ctx.args);
  const lab = ctx.lab;
  const others = lab.model.nodes.filter((n) => n.name !== guest.node);
  const allowed = others.filter((n) => !lab.faults.isOffline(n.name)).map((n) => n.name);
  const notAllowed: Record<string, unknown> = {};
  for (const n of others) if (lab.faults.isOffline(n.name)) notAllowed[n.name] = { unavailable_storages: [], error: 'node is offline' };
  return {
    running: lab.runtime.info(guest.vmid) ? 1 : 0,
    allowed_nodes: allowed,
    not_allowed_nodes: notAllowed,
    local_disks: localDisks(lab, guest).map((d) => ({
      volid: d.volid,
      size: d.size ?? 0,
      drivename: d.key,
      is_unused: /^unused/.test(d.key) ? 1 : 0,
      replicate: 0,
      shared: 0,
    })),
    local_resources: localResources(guest),
    'mapped-resources': [],
    'mapped-resource-info': {},
    'has-dbus-vmstate': 0,
  };
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

/** POST .../migrate: live through the runtime (real QEMU migration) with shared disks; offline copies local images. */
function migrate(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  const args = parseArgs(migrateArgs, ctx.args);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Migrate');
  const lab = ctx.lab;
  const target = lab.model.node(args.target);
  if (!target) throw parameterError({ target: `no such cluster node '${args.target}'` });
  if (target.name === guest.node) throw new ApiError(400, `target is local node.`, { target: 'target is local node.' });
  if (lab.faults.isOffline(target.name)) throw new ApiError(500, `target node '${target.name}' is not online`);
  if (guest.config.template === '1' && args.online) throw new ApiError(500, "can't live migrate a template");
  const running = lab.runtime.info(guest.vmid) !== undefined;
  if (running && !args.online) throw new ApiError(500, `can't migrate running VM without --online`);
  const locals = localDisks(lab, guest);
  const resources = localResources(guest);
  if (resources.length > 0 && !args.force) throw new ApiError(500, `can't migrate VM which uses local devices: ${resources.join(', ')}`);
  if (running && locals.length > 0) {
    if (!args['with-local-disks']) throw new ApiError(500, `can't live migrate attached local disks without with-local-disks option`);
    throw new ApiError(500, 'live migration with local disks (NBD mirror) is not implemented by the lab; move the disks to shared storage first');
  }
  const source = guest.node;
  return lockedTask(ctx, guest, 'migrate', { type: 'qmigrate' }, async (task) => {
    task.log(`starting migration of VM ${guest.vmid} to node '${target.name}' (${target.ip})`);
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
    task.log(`migration finished successfully`);
  });
}

export const migrateRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/migrate', handler: precondition },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/migrate', handler: migrate },
];
