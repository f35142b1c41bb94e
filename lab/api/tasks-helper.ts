import type { TaskContext } from '../contracts';
import type { LabGuest } from '../cluster/model';
import type { RequestContext } from './context';
import { checkNotLocked } from './guest-view';

/**
 * Starts a worker task on `node` owned by the caller (or by `user`: the HA
 * stack's own tasks run as root@pam); returns its UPID, as PVE's async
 * endpoints do.
 */
export function startTask(
  ctx: RequestContext,
  options: { node: string; type: string; id: string; user?: string },
  work: (task: TaskContext) => Promise<void>,
): string {
  return ctx.lab.tasks.start({ ...options, user: options.user ?? ctx.userName }, work).upid;
}

/** Holds PVE's config lock (`lock: backup` etc.) on the guest while `work` runs. */
export function lockedTask(ctx: RequestContext, guest: LabGuest, lock: string, options: { type: string }, work: (task: TaskContext) => Promise<void>): string {
  checkNotLocked(guest);
  guest.lock = lock;
  ctx.lab.model.changed();
  return startTask(ctx, { node: guest.node, type: options.type, id: String(guest.vmid) }, async (task) => {
    try {
      await work(task);
    } finally {
      delete guest.lock;
      ctx.lab.model.changed();
    }
  });
}

/** A snapshot of the guest for the runtime (the runtime must not hold on to the model's objects). */
export function guestRef(guest: LabGuest): { vmid: number; node: string; config: Record<string, string> } {
  return { vmid: guest.vmid, node: guest.node, config: { ...guest.config } };
}
