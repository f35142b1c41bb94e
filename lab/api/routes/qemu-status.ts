import { join } from 'node:path';
import { z } from 'zod';
import { ensureVolumes } from '../../cluster/disks';
import type { LabGuest } from '../../cluster/model';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { guestAt, guestState, checkNotLocked } from '../guest-view';
import { parseArgs, pveBool, pveInt } from '../params';
import { guestRef, startTask } from '../tasks-helper';
import { haPowerRequest, queueHaRequest } from '../ha-requests';

function listGuests(ctx: RequestContext): unknown {
  const node = ctx.param('node');
  if (!ctx.lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
  return ctx.lab.model
    .guestsOn(node)
    .filter((g) => ctx.can(`/vms/${g.vmid}`, 'VM.Audit'))
    .map((g) => {
      const state = guestState(ctx.lab, g);
      const item: Record<string, unknown> = { ...state, template: g.config.template === '1' ? 1 : 0 };
      if (g.config.tags) item.tags = g.config.tags;
      if (g.lock) item.lock = g.lock;
      return item;
    });
}

/** status/current: runtime state plus what the config says the display can do. */
function currentStatus(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  const state = guestState(ctx.lab, guest);
  const vga = guest.config.vga ?? '';
  const out: Record<string, unknown> = {
    ...state,
    qmpstatus: state.qmpstatus ?? state.status,
    ha: guest.hastate ? { managed: 1, state: guest.hastate, group: '' } : { managed: 0 },
  };
  // vm_status sets `agent` only when the config enables the guest agent.
  if (/^(1|enabled=1)/.test(guest.config.agent ?? '')) out.agent = 1;
  if (/^qxl/.test(vga)) out.spice = 1;
  if (/clipboard=vnc/.test(vga)) out.clipboard = 'vnc';
  if (guest.config.serial0) out.serial = 1;
  if (guest.lock) out.lock = guest.lock;
  if (guest.config.template === '1') out.template = 1;
  if (guest.config.tags) out.tags = guest.config.tags;
  if (state.status === 'running') {
    out['running-qemu'] = '9.2.0';
    out['running-machine'] = guest.config.machine ?? 'pc-i440fx-9.2+pve0';
  }
  return out;
}

function isRunning(ctx: RequestContext, guest: LabGuest): boolean {
  return ctx.lab.runtime.info(guest.vmid) !== undefined;
}

function requireRunning(ctx: RequestContext, guest: LabGuest): void {
  if (!isRunning(ctx, guest)) throw new ApiError(500, `VM ${guest.vmid} not running`);
}

/** Starts a guest: creates images that were never written (seeded/synthetic guests), then the runtime boots QEMU. */
export function startGuest(ctx: RequestContext, guest: LabGuest): string {
  if (guest.config.template === '1') throw new ApiError(500, `you can't start a VM if it's a template`);
  checkNotLocked(guest);
  if (isRunning(ctx, guest)) throw new ApiError(500, `VM ${guest.vmid} already running`);
  const lab = ctx.lab;
  return startTask(ctx, { node: guest.node, type: 'qmstart', id: String(guest.vmid) }, async (task) => {
    await ensureVolumes(lab.storage, guest.config, guest.node, task.log);
    await lab.runtime.start(guestRef(guest), task);
    if (guest.hastate) guest.hastate = 'started';
  });
}

const shutdownArgs = z.object({
  timeout: pveInt(0, 7200).optional(),
  forceStop: pveBool.optional(),
  keepActive: pveBool.optional(),
  skiplock: pveBool.optional(),
});
const suspendArgs = z.object({ todisk: pveBool.optional(), statestorage: z.string().optional(), skiplock: pveBool.optional() });

/** vmlist's `full` (the figures of running guests, which the lab always gives). */
const listArgs = z.object({ full: pveBool.optional() });

/** What each power action declares in qemu-server (the parameters the lab has a use for or can ignore harmlessly). */
const powerArgs = {
  start: z.object({ skiplock: pveBool.optional(), timeout: pveInt(0, 86400).optional() }),
  stop: z.object({ skiplock: pveBool.optional(), timeout: pveInt(0).optional(), keepActive: pveBool.optional(), 'overrule-shutdown': pveBool.optional() }),
  shutdown: shutdownArgs,
  reboot: z.object({ timeout: pveInt(0).optional() }),
  reset: z.object({ skiplock: pveBool.optional() }),
  suspend: suspendArgs,
  resume: z.object({ skiplock: pveBool.optional(), nocheck: pveBool.optional() }),
};

function action(name: 'start' | 'stop' | 'shutdown' | 'reboot' | 'reset' | 'suspend' | 'resume') {
  return (ctx: RequestContext): unknown => {
    const guest = guestAt(ctx);
    ctx.require(`/vms/${guest.vmid}`, 'VM.PowerMgmt');
    const haRequest = haPowerRequest(ctx, guest, name, action);
    if (haRequest) return queueHaRequest(ctx, guest, haRequest);
    const lab = ctx.lab;
    const id = String(guest.vmid);
    const task = (type: string, work: Parameters<typeof startTask>[2]): string => startTask(ctx, { node: guest.node, type, id }, work);
    switch (name) {
      case 'start':
        return startGuest(ctx, guest);
      case 'stop':
        requireRunning(ctx, guest);
        return task('qmstop', async (t) => {
          await lab.runtime.stop(guest.vmid, t);
          if (guest.hastate) guest.hastate = 'stopped';
        });
      case 'shutdown': {
        const args = parseArgs(shutdownArgs, ctx.args);
        requireRunning(ctx, guest);
        return task('qmshutdown', async (t) => {
          await lab.runtime.shutdown(guest.vmid, { timeoutSeconds: args.timeout ?? 180, forceStop: args.forceStop ?? false }, t);
          if (guest.hastate) guest.hastate = 'stopped';
        });
      }
      case 'reboot':
        requireRunning(ctx, guest);
        return task('qmreboot', (t) => lab.runtime.reboot(guest.vmid, t));
      case 'reset':
        requireRunning(ctx, guest);
        return task('qmreset', (t) => lab.runtime.reset(guest.vmid, t));
      case 'suspend': {
        const args = parseArgs(suspendArgs, ctx.args);
        requireRunning(ctx, guest);
        const toDisk = args.todisk ?? false;
        const statePath = toDisk
          ? join(
              lab.storage.contentDir(args.statestorage ?? 'local', guest.node, 'images'),
              String(guest.vmid),
              `vm-${guest.vmid}-state-suspend-${Date.now()}.raw`,
            )
          : undefined;
        return task(toDisk ? 'qmsuspend' : 'qmpause', async (t) => {
          await lab.runtime.suspend(guest.vmid, statePath ? { toDisk, statePath } : { toDisk }, t);
          if (toDisk) guest.lock = 'suspended';
        });
      }
      case 'resume':
        if (!isRunning(ctx, guest) && guest.lock !== 'suspended') throw new ApiError(500, `VM ${guest.vmid} not running`);
        return task('qmresume', async (t) => {
          if (guest.lock === 'suspended') {
            delete guest.lock;
            await lab.runtime.start(guestRef(guest), t);
          } else {
            await lab.runtime.resume(guest.vmid, t);
          }
        });
    }
  };
}

export const qemuStatusRoutes: Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/qemu', handler: listGuests, params: listArgs },
  {
    method: 'GET',
    pattern: '/nodes/{node}/qemu/{vmid}',
    handler: (ctx) => {
      guestAt(ctx);
      return ['config', 'pending', 'status', 'snapshot', 'rrddata', 'vncproxy', 'spiceproxy', 'termproxy', 'migrate', 'resize', 'move_disk'].map((subdir) => ({
        subdir,
      }));
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/qemu/{vmid}/status',
    handler: (ctx) => {
      guestAt(ctx);
      return [{ subdir: 'current' }, { subdir: 'start' }, { subdir: 'stop' }];
    },
  },
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/status/current', handler: currentStatus },
  ...(['start', 'stop', 'shutdown', 'reboot', 'reset', 'suspend', 'resume'] as const).map((name) => ({
    method: 'POST' as const,
    pattern: `/nodes/{node}/qemu/{vmid}/status/${name}`,
    handler: action(name),
    params: powerArgs[name],
  })),
];
