import type { LabGuest } from '../cluster/model';
import { RequestContext } from './context';
import { startTask } from './tasks-helper';

/**
 * HA-managed guests, as qemu-server's PVE/API2/Qemu.pm handles them
 * (`vm_start`, `vm_stop`, `vm_shutdown`, `migrate_vm` when
 * `PVE::HA::Config::vm_is_ha_managed`): the API call only queues a request
 * with `ha-manager` in a short `hastart`/`hastop`/`hamigrate` task that ends
 * once the request is queued. The HA stack's local resource manager carries
 * it out a moment later through the same API methods, as root@pam, in
 * tasks of its own (`qmstart`, `qmstop`, `qmshutdown`, `qmigrate`).
 */

/** How long the lab's HA stack takes to pick a request up (PVE's managers loop every few seconds). */
export const HA_PICKUP_MS = 1000;

/** The user the HA services (pve-ha-crm, pve-ha-lrm) run their work as. */
const HA_STACK_USER = 'root@pam';

/** The HA stack calling an API method itself: PVE's RPC environment of type `ha`, which skips the queueing. */
class HaStackContext extends RequestContext {}

export function isHaManaged(ctx: RequestContext, guest: LabGuest): boolean {
  return guest.hastate !== undefined && !(ctx instanceof HaStackContext);
}

/** The same call as the HA stack makes it, with the arguments its resource agent passes (PVE::HA::Resources::PVEVM). */
function asHaStack(ctx: RequestContext, args: Record<string, string>): RequestContext {
  return new HaStackContext(
    ctx.lab,
    ctx.method,
    ctx.path,
    ctx.pathParams,
    args,
    { userid: HA_STACK_USER },
    undefined,
    ctx.request,
    ctx.response,
    ctx.localNode,
  );
}

export interface HaRequest {
  type: 'hastart' | 'hastop' | 'hamigrate';
  /** The line PVE's task prints, e.g. `Requesting HA start for VM 113`. */
  message: string;
  /** The HA resource's requested state once the request is queued (`hastate`): `ha-manager set --state` / `crm-command stop` change it, a migration keeps it. */
  state: string;
  /** The API method the HA stack calls, and the arguments it passes. */
  carryOut: (ctx: RequestContext) => unknown;
  args: Record<string, string>;
}

/** Queues the request in a task that ends at once; the HA stack's own task follows after HA_PICKUP_MS. */
export function queueHaRequest(ctx: RequestContext, guest: LabGuest, request: HaRequest): string {
  const lab = ctx.lab;
  return startTask(ctx, { node: guest.node, type: request.type, id: String(guest.vmid) }, async (task) => {
    task.log(request.message);
    guest.hastate = request.state;
    lab.model.changed();
    const pickup = setTimeout(() => runQuietly(() => request.carryOut(asHaStack(ctx, request.args))), HA_PICKUP_MS);
    pickup.unref();
  });
}

/** A request the guest no longer needs (already running, already stopped) is dropped, as the LRM does. */
function runQuietly(call: () => unknown): void {
  try {
    call();
  } catch {
    // The HA stack logs and drops it; the caller's hastart/hastop task already ended OK.
  }
}

type PowerAction = 'start' | 'stop' | 'shutdown';

/**
 * The HA request behind a power action on an HA-managed guest, or
 * undefined when the action runs directly. `handlerFor` gives the API
 * method the HA stack calls back: `ha-manager set --state started` starts,
 * `crm-command stop <sid> <timeout>` shuts down with that timeout and
 * forceStop (60 s by default), or stops hard with timeout 0.
 */
export function haPowerRequest(
  ctx: RequestContext,
  guest: LabGuest,
  action: string,
  handlerFor: (action: PowerAction) => (ctx: RequestContext) => unknown,
): HaRequest | undefined {
  if (!isHaManaged(ctx, guest)) return undefined;
  const vmid = guest.vmid;
  if (action === 'start') return { type: 'hastart', message: `Requesting HA start for VM ${vmid}`, state: 'started', carryOut: handlerFor('start'), args: {} };
  if (action !== 'stop' && action !== 'shutdown') return undefined;
  const timeout = action === 'stop' ? '0' : (ctx.args.timeout ?? '60');
  return {
    type: 'hastop',
    message: `Requesting HA stop for VM ${vmid}`,
    state: 'stopped',
    carryOut: handlerFor(timeout === '0' ? 'stop' : 'shutdown'),
    args: timeout === '0' ? {} : { timeout, forceStop: '1' },
  };
}
