import type { PowerAction } from '../../../shared/domain/inventory';
import type { JobTitle, JobView } from '../../../shared/domain/jobs';
import { IpcError } from '../../../shared/ipc/errors';
import { toErrorPayload } from '../ipc';
import type { JobsService } from '../jobs';
import type { Logger } from '../log';
import type { GuestPowerCommand } from '../pve';
import type { GuestRef } from './guest-summary';
import type { InventoryClient } from './inventory-sessions';
import { mapLimited } from './limited-concurrency';

/** Power calls in flight at once: a 500-guest selection must not flood PVE's workers. */
const powerConcurrency = 4;

export type PowerJobs = Pick<JobsService, 'start' | 'followTask'>;

export interface PowerRequest {
  action: PowerAction;
  targets: readonly GuestRef[];
  /** Shutdown's wait, seconds. */
  timeout?: number;
}

export interface PowerContext {
  client(profileId: string): InventoryClient;
  jobs: PowerJobs;
  logger: Logger;
  /** The cluster's name as the task pane shows it. */
  clusterName(profileId: string): string | undefined;
  /** The guest's name as the list shows it. */
  guestName(target: GuestRef): string | undefined;
}

function commandOf(request: PowerRequest): { command: GuestPowerCommand; options: { timeout?: number; todisk?: boolean } } {
  if (request.action === 'hibernate') return { command: 'suspend', options: { todisk: true } };
  // Without forceStop a shutdown past its timeout fails, and the user decides whether to stop the guest.
  if (request.action === 'shutdown' && request.timeout !== undefined) return { command: 'shutdown', options: { timeout: request.timeout } };
  return { command: request.action, options: {} };
}

/**
 * One power action on each target: every PVE task followed as the user's own
 * job, and a target whose call failed shown as a failed job of its own, so the
 * task pane tells the outcome of each. The jobs come back in target order.
 */
export function powerGuests(request: PowerRequest, context: PowerContext): Promise<JobView[]> {
  const { command, options } = commandOf(request);
  return mapLimited(request.targets, powerConcurrency, async (target) => {
    const cluster = context.clusterName(target.profileId);
    const title: JobTitle = { key: `inventory.jobs.${request.action}`, params: { guest: context.guestName(target) ?? String(target.vmid) } };
    try {
      const upid = await context.client(target.profileId).guestPower(target.node, target.vmid, command, options);
      return context.jobs.followTask(target.profileId, upid, { ...(cluster !== undefined ? { cluster } : {}), title });
    } catch (error) {
      // The payload keeps the message's translations, so the failed job shows it in the window's language.
      const { code, ...message } = toErrorPayload(error, { method: 'inventory.power', logger: context.logger });
      const subject = { profileId: target.profileId, node: target.node, vmid: target.vmid, ...(cluster !== undefined ? { cluster } : {}) };
      return context.jobs.start(`inventory.${request.action}`, title, subject, () => Promise.reject(new IpcError(code, message)));
    }
  });
}
