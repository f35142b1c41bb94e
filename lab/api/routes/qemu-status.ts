import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensureVolumes } from '../../cluster/disks';
import { memoryBytes } from '../../cluster/guest-config';
import type { LabGuest } from '../../cluster/model';
import { applyPending } from '../../cluster/pending';
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
      if (g.config.tags !== undefined) item.tags = g.config.tags;
      if (g.lock) item.lock = g.lock;
      return item;
    });
}

/** pve-ha-manager PVE/HA/Config.pm `get_service_status`: the manager's state of a managed guest (HA groups became rules in PVE 9; the lab has none). */
function haStatus(guest: LabGuest): Record<string, unknown> {
  return guest.hastate ? { managed: 1, state: guest.hastate } : { managed: 0 };
}

/**
 * What `vmstatus($vmid, 1)` adds for a running guest: QEMU's version and
 * machine, the per-tap NIC counters (the lab's user-mode NICs count nothing)
 * and, with a balloon device (`balloon` not 0), `query-balloon`'s answer.
 * The lab's guests load no balloon driver, so the balloon stays at the
 * configured memory and the guest reports no memory statistics.
 */
function runningDetails(guest: LabGuest): Record<string, unknown> {
  const details: Record<string, unknown> = {
    'running-qemu': '9.2.0',
    'running-machine': guest.config.machine ?? 'pc-i440fx-9.2+pve0',
    nics: Object.fromEntries(
      Object.keys(guest.config)
        .flatMap((key) => /^net(\d+)$/.exec(key)?.[1] ?? [])
        .map((index) => [`tap${guest.vmid}i${index}`, { netin: 0, netout: 0 }]),
    ),
  };
  if (guest.config.balloon !== '0') {
    const memory = memoryBytes(guest.config);
    Object.assign(details, { balloon: memory, ballooninfo: { actual: memory, max_mem: memory } });
  }
  return details;
}

/** qemu-server PVE/API2/Qemu.pm `vm_status`: `vmstatus` in full, the HA state, and what the config says the display and agent can do. */
function currentStatus(ctx: RequestContext): unknown {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
  const state = guestState(ctx.lab, guest);
  const out: Record<string, unknown> = { ...state, qmpstatus: state.qmpstatus ?? state.status, ha: haStatus(guest) };
  if (state.status === 'running') Object.assign(out, runningDetails(guest));
  if (guest.config.balloon && guest.config.balloon !== '0') {
    out.balloon_min = Number(guest.config.balloon) * 1024 * 1024;
    out.shares = Number(guest.config.shares ?? 1000);
  }
  if (guest.config.template === '1') out.template = 1;
  if (Object.keys(guest.config).some((key) => /^serial[0-3]$/.test(key))) out.serial = 1;
  if (guest.lock) out.lock = guest.lock;
  if (guest.config.tags !== undefined) out.tags = guest.config.tags;
  const vga = guest.config.vga;
  if (vga) {
    if (/^(qxl|virtio)/.test(vga)) out.spice = 1;
    // PVE copies the option as it is, so a display without one says `null`.
    out.clipboard = /(?:^|,)clipboard=([^,]+)/.exec(vga)?.[1] ?? null;
  }
  // vm_status sets `agent` only when the config enables the guest agent.
  if (/^(1|enabled=1)/.test(guest.config.agent ?? '')) out.agent = 1;
  return out;
}

function isRunning(ctx: RequestContext, guest: LabGuest): boolean {
  return ctx.lab.runtime.info(guest.vmid) !== undefined;
}

function requireRunning(ctx: RequestContext, guest: LabGuest): void {
  if (!isRunning(ctx, guest)) throw new ApiError(500, `VM ${guest.vmid} not running`);
}

/** vm_start's vmconfig_apply_pending: the changes a running guest could not take become its config. */
function applyPendingChanges(ctx: RequestContext, guest: LabGuest): void {
  if (!guest.pending) return;
  applyPending(guest, (volid) => rmSync(ctx.lab.storage.resolve(volid, guest.node), { force: true }));
  ctx.lab.model.changed();
}

/** Starts a guest: creates images that were never written (seeded/synthetic guests), then the runtime boots QEMU. */
export function startGuest(ctx: RequestContext, guest: LabGuest): string {
  if (guest.config.template === '1') throw new ApiError(500, `you can't start a VM if it's a template`);
  checkNotLocked(guest);
  if (isRunning(ctx, guest)) throw new ApiError(500, `VM ${guest.vmid} already running`);
  const lab = ctx.lab;
  return startTask(ctx, { node: guest.node, type: 'qmstart', id: String(guest.vmid) }, async (task) => {
    applyPendingChanges(ctx, guest);
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
        // vm_reboot: a shutdown and a new start, which applies the pending changes.
        return task('qmreboot', async (t) => {
          applyPendingChanges(ctx, guest);
          await ensureVolumes(lab.storage, guest.config, guest.node, t.log);
          await lab.runtime.reboot(guest.vmid, t, guestRef(guest));
        });
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
      return ['config', 'pending', 'status', 'agent', 'snapshot', 'rrddata', 'vncproxy', 'spiceproxy', 'termproxy', 'migrate', 'resize', 'move_disk'].map(
        (subdir) => ({
          subdir,
        }),
      );
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
