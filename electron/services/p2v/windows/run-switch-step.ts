import type { WindowsSwitchResult } from '../../../../shared/domain/p2v';
import type { ParsedInput } from '../../../../shared/ipc/contract';
import { IpcError } from '../../../../shared/ipc/errors';
import type { JobsService } from '../../jobs';
import { configChangeForm, conflictError, isConflictMessage, sendPveCall } from '../../operations';
import { guestConfigCall, guestStatusCall, storageContentCall, updateGuestConfigCall, type PveClient } from '../../pve';
import { checkConfig, planWindowsSwitchStep, type SwitchChange } from './switch-plan';

export type WindowsSwitchInput = ParsedInput<'p2v.windowsSwitch'>;

/** What a step needs: the cluster's API client, and the jobs that follow the `qmconfig` task into the task pane. */
export interface WindowsSwitchContext {
  client: Pick<PveClient, 'execute'>;
  jobs: Pick<JobsService, 'followTask' | 'whenEnded'>;
}

/**
 * One step of the Windows switch: refuses a guest that is not stopped, plans
 * the change from the config as read, sends it with that config's digest
 * (someone's edit in between → CONFLICT, nothing written), follows PVE's task
 * to its end, then reads the config again and checks it field by field (and
 * that a freed volume is gone from its storage).
 */
export async function runWindowsSwitchStep(context: WindowsSwitchContext, input: WindowsSwitchInput): Promise<WindowsSwitchResult> {
  const { client } = context;
  const { node, vmid, step } = input;
  const status = await sendPveCall(client, guestStatusCall(node, vmid));
  if (status.status !== 'stopped') {
    throw new IpcError('GUEST_RUNNING', {
      en: `VM ${vmid} is ${status.status}; this step changes its disks, which needs it stopped. Shut Windows down from its console (Start → Shut down), wait until the VM shows stopped, then press this step again.`,
      fr: `La VM ${vmid} est dans l’état ${status.status} ; cette étape modifie ses disques, ce qui demande qu’elle soit arrêtée. Arrêtez Windows depuis sa console (Démarrer → Arrêter), attendez que la VM soit arrêtée, puis relancez cette étape.`,
    });
  }
  const config = await sendPveCall(client, guestConfigCall(node, vmid));
  const plan = planWindowsSwitchStep(config, input);
  if (plan.change !== undefined) await applyChange(context, input, plan.change, String(config.digest ?? ''));
  const after = await sendPveCall(client, guestConfigCall(node, vmid));
  const checks = checkConfig(plan.expectations, after);
  for (const volume of plan.freedVolumes) checks.push(await volumeGone(client, node, vmid, volume));
  return { step, checks, next: plan.next };
}

async function applyChange(context: WindowsSwitchContext, input: WindowsSwitchInput, change: SwitchChange, digest: string): Promise<void> {
  const { profileId, node, vmid } = input;
  const form = { ...configChangeForm({ set: change.set, delete: change.delete, revert: [], digest }), ...(change.force ? { force: 1 } : {}) };
  const upid = await sendPveCall(context.client, updateGuestConfigCall(node, vmid, form));
  // null: PVE finished within its background delay.
  if (upid === null) return;
  const job = context.jobs.followTask(profileId, upid);
  const ended = await context.jobs.whenEnded(job.id);
  // A job forgotten before it ended says nothing: the checks that follow read what the config shows.
  if (ended === undefined || ended.state === 'succeeded') return;
  const reason = ended.error ?? ended.state;
  if (isConflictMessage(reason)) throw conflictError();
  // PVE's exit status is PVE's own text, the same in every language.
  throw new IpcError('SERVER_ERROR', {
    en: `PVE could not change VM ${vmid}'s config: ${reason}. Its task log says more; fix the cause, then press this step again.`,
    fr: `PVE n’a pas pu modifier la configuration de la VM ${vmid} : ${reason}. Le journal de sa tâche en dit plus ; corrigez la cause, puis relancez cette étape.`,
  });
}

/** A volume the step freed, looked for in its storage's listing of the guest's images. */
async function volumeGone(client: Pick<PveClient, 'execute'>, node: string, vmid: number, volume: string): Promise<WindowsSwitchResult['checks'][number]> {
  const storage = volume.split(':')[0] ?? '';
  const listing = await sendPveCall(client, storageContentCall(node, storage, { content: 'images', vmid }));
  const found = listing.some((entry) => entry.volid === volume);
  return { key: volume, expected: `deleted from ${storage}`, actual: found ? `still on ${storage}` : `not on ${storage}`, ok: !found };
}
