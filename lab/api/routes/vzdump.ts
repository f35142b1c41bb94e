import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configVolumes, ensureVolumes } from '../../cluster/disks';
import type { ClusterModel, LabGuest } from '../../cluster/model';
import { backupAuxiliaries } from '../../cluster/storage';
import type { RequestContext, Route } from '../context';
import { ApiError, parameterError, permissionError } from '../errors';
import { parseArgs, pveBool, pveInt, storageId } from '../params';
import { guestRef, startTask } from '../tasks-helper';

/** pve-common's `pve-vmid-list` format. */
const vmidList = z.string().regex(/^\d+([,;\s\0]+\d+)*$/, 'invalid format - value does not look like a valid VM ID list');

/** pve-manager PVE/VZDump.pm `$confdesc`, the options both `vzdump` and backup jobs take. */
export const vzdumpArgs = z.object({
  vmid: vmidList.optional(),
  all: pveBool.optional(),
  pool: z.string().optional(),
  exclude: vmidList.optional(),
  storage: storageId.optional(),
  mode: z.enum(['snapshot', 'suspend', 'stop']).optional(),
  compress: z.enum(['0', '1', 'gzip', 'lzo', 'zstd']).optional(),
  'prune-backups': z
    .string()
    .regex(
      /^(keep-(all|last|hourly|daily|weekly|monthly|yearly)=\d+)(,keep-(all|last|hourly|daily|weekly|monthly|yearly)=\d+)*$/,
      'invalid format - invalid prune-backups',
    )
    .optional(),
  remove: pveBool.optional(),
  'notes-template': z.string().max(1024).optional(),
  protected: pveBool.optional(),
  // pve-manager PVE/VZDump.pm confdesc: KiB/s, 0 for no limit.
  bwlimit: pveInt(0).optional(),
});

const EXTENSION: Record<string, string> = { '0': 'vma', '1': 'vma.lzo', gzip: 'vma.gz', lzo: 'vma.lzo', zstd: 'vma.zst' };

function timestamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}_${p(date.getMonth() + 1)}_${p(date.getDate())}-${p(date.getHours())}_${p(date.getMinutes())}_${p(date.getSeconds())}`;
}

/** PVE's notes template variables. */
function notesFor(template: string, guest: LabGuest, cluster: string): string {
  return template
    .replace(/\{\{guestname\}\}/g, guest.config.name ?? '')
    .replace(/\{\{vmid\}\}/g, String(guest.vmid))
    .replace(/\{\{node\}\}/g, guest.node)
    .replace(/\{\{cluster\}\}/g, cluster)
    .replace(/\\n/g, '\n');
}

type Selection = Pick<z.output<typeof vzdumpArgs>, 'vmid' | 'all' | 'pool' | 'exclude'>;

const vmidsOf = (list: string | undefined): number[] =>
  (list ?? '')
    .split(/[,;\s\0]+/)
    .filter(Boolean)
    .map(Number);

/** pve-manager PVE/VZDump.pm `verify_vzdump_parameters`: `vmid` excludes the other selections, and one selection is needed (`exclude` alone means all). */
export function verifySelection(args: Selection): void {
  for (const key of ['all', 'exclude', 'pool'] as const) if (args[key] && args.vmid) throw parameterError({ [key]: "option conflicts with option 'vmid'" });
  if (!(args.all || args.pool || args.exclude) && !args.vmid) throw parameterError({ vmid: 'property is missing' });
}

/**
 * pve-manager PVE/VZDump.pm `get_included_guests`: the selected guests (a
 * list, a pool's members or all, less `exclude`) split into this node's (plus
 * ids no guest has: they fail visibly in the task) and the other nodes'
 * (skipped), in ascending order.
 */
function includedGuests(model: ClusterModel, node: string, args: Selection): { local: number[]; external: number[] } {
  if (args.pool && !model.pools.has(args.pool)) throw new ApiError(500, `pool '${args.pool}' does not exist`);
  const selected = args.pool ? model.poolMembers(args.pool).map((g) => g.vmid) : args.all || args.exclude ? [...model.guests.keys()] : vmidsOf(args.vmid);
  const excluded = new Set(vmidsOf(args.exclude));
  const unique = [...new Set(selected)].filter((vmid) => !excluded.has(vmid)).sort((a, b) => a - b);
  const nodeOf = (vmid: number): string | undefined => model.guests.get(vmid)?.node;
  return {
    local: unique.filter((vmid) => nodeOf(vmid) === undefined || nodeOf(vmid) === node),
    external: unique.filter((vmid) => nodeOf(vmid) !== undefined && nodeOf(vmid) !== node),
  };
}

/** POST /nodes/{node}/vzdump (pve-manager PVE/API2/VZDump.pm `vzdump`): one `vzdump` task backing up the listed guests of this node, then pruning. */
function vzdump(ctx: RequestContext): unknown {
  const lab = ctx.lab;
  const node = ctx.param('node');
  if (!lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
  const args = parseArgs(vzdumpArgs, ctx.args);
  const storage = args.storage ?? 'local';
  const store = lab.storage.get(storage);
  if (!store?.content.includes('backup')) throw parameterError({ storage: `storage '${storage}' does not support backups` });
  verifySelection(args);
  if (args['prune-backups'] && ctx.userName !== 'root@pam') ctx.require(`/storage/${storage}`, 'Datastore.Allocate');
  const { local, external } = includedGuests(lab.model, node, args);
  // PVE answers the string "OK" and starts no task when none of the listed guests is on this node.
  if (local.length === 0 && !args.all) return 'OK';
  ctx.require(`/storage/${storage}`, 'Datastore.AllocateSpace');
  const keepLast = /keep-last=(\d+)/.exec(args['prune-backups'] ?? '')?.[1];
  const ext = EXTENSION[args.compress ?? '0'] ?? 'vma';
  const mode = args.mode ?? 'snapshot';
  return startTask(ctx, { node, type: 'vzdump', id: local.length === 1 ? String(local[0]) : '' }, async (task) => {
    task.log(
      `INFO: starting new backup job: vzdump ${args.all ? '--all 1' : args.pool ? `--pool ${args.pool}` : local.join(' ')} --mode ${mode} --storage ${storage}`,
    );
    if (external.length > 0) task.log(`INFO: skip external VMs: ${external.join(', ')}`);
    // The permission of every listed guest is checked before the first backup; with `all` the others are left out.
    const jobs = local.flatMap((vmid) => {
      const guest = lab.model.guests.get(vmid);
      if (guest && !ctx.can(`/vms/${vmid}`, 'VM.Backup')) {
        if (args.all) return [];
        throw permissionError(`/vms/${vmid}`, 'VM.Backup');
      }
      return [{ vmid, guest }];
    });
    let failures = 0;
    for (const { vmid, guest } of jobs) {
      if (!guest) {
        task.log(`ERROR: Backup of VM ${vmid} failed - unable to find VM '${vmid}'`);
        failures++;
        continue;
      }
      if (guest.lock) {
        task.log(`ERROR: Backup of VM ${guest.vmid} failed - VM is locked (${guest.lock})`);
        failures++;
        continue;
      }
      const name = `vzdump-qemu-${guest.vmid}-${timestamp(new Date())}`;
      const dir = lab.storage.contentDir(storage, node, 'backup');
      const archivePath = join(dir, `${name}.${ext}`);
      task.log(`INFO: Starting Backup of VM ${guest.vmid} (qemu)`);
      task.log(`INFO: Backup started at ${new Date().toISOString()}`);
      task.log(`INFO: VM Name: ${guest.config.name ?? ''}`);
      task.log(`INFO: backup mode: ${mode}`);
      if (args.bwlimit) task.log(`INFO: bandwidth limit: ${args.bwlimit} KiB/s`);
      task.log(`INFO: creating vzdump archive '${archivePath}'`);
      guest.lock = 'backup';
      try {
        await ensureVolumes(lab.storage, guest.config, node, task.log);
        const diskPaths = Object.fromEntries(
          configVolumes(guest.config)
            .filter((v) => !/^unused/.test(v.key))
            .map((v) => [v.key, lab.storage.resolve(v.volid, node)]),
        );
        await lab.runtime.backup(guestRef(guest), { mode, archivePath, diskPaths, bwlimit: args.bwlimit }, task);
        if (args['notes-template']) writeFileSync(`${archivePath}.notes`, notesFor(args['notes-template'], guest, lab.model.name));
        // update_volume_attribute(…, 'protected', 1): an empty `<archive>.protected` file, as PVE's dir plugin keeps it.
        if (args.protected) writeFileSync(`${archivePath}.protected`, '');
        writeFileSync(join(dir, `${name}.log`), `backup of VM ${guest.vmid} finished\n`);
        task.log(`INFO: Finished Backup of VM ${guest.vmid}`);
      } catch (error) {
        failures++;
        rmSync(archivePath, { force: true });
        task.log(`ERROR: Backup of VM ${guest.vmid} failed - ${error instanceof Error ? error.message : String(error)}`);
        if (task.signal.aborted) throw error;
        continue;
      } finally {
        delete guest.lock;
      }
      if (keepLast !== undefined && args.remove !== false) {
        task.log(`INFO: prune older backups with retention: keep-last=${keepLast}`);
        const backups = lab.storage
          .content(storage, node, 'backup')
          .filter((v) => v.vmid === guest.vmid && !v.protected)
          .sort((a, b) => b.volid.localeCompare(a.volid));
        for (const old of backups.slice(Number(keepLast))) {
          task.log(`INFO: removing backup '${old.volid}'`);
          for (const file of [old.path, ...backupAuxiliaries(old.path)]) if (existsSync(file)) rmSync(file, { force: true });
        }
      }
    }
    if (failures > 0) throw new Error(`job errors`);
  });
}

export const vzdumpRoutes: Route[] = [{ method: 'POST', pattern: '/nodes/{node}/vzdump', handler: vzdump, params: vzdumpArgs }];
