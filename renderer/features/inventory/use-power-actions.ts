import type { DropdownOption } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import type { PowerAction } from '../../../shared/domain/inventory';
import { useIpc } from '../../platform/use-ipc';
import { useNotify } from '../../platform/use-notify';
import { guestActionMenuOptions } from './guest-actions';
import { useInventoryStore, type InventoryEntry } from './inventory-store';
import { asksFirst, powerOptions, powerTargets } from './power-choices';
import { usePowerPrompts, type PowerAnswer } from './power-prompts';

export interface PowerChoice {
  action: PowerAction;
  enabled: boolean;
  /** Why not: the missing privilege, translated. */
  reason?: string;
  /** Asks before running (data may be lost, several guests, or shutdown's timeout). */
  confirm: boolean;
}

/**
 * Sends a power action without asking: for callers that already asked (the
 * confirmation, the stop offer). Failures become a toast; a shutdown's jobs
 * are followed so a failed one is offered a stop.
 */
export function useSendPower() {
  const ipc = useIpc();
  const notify = useNotify();
  const prompts = usePowerPrompts();

  return async function send(action: PowerAction, targets: InventoryEntry[], answer: PowerAnswer = {}): Promise<void> {
    try {
      const jobs = await ipc.call('inventory.power', {
        action,
        targets: targets.map(({ profileId, item }) => ({ profileId, node: item.node ?? '', vmid: item.vmid ?? 0 })),
        ...(action === 'shutdown' && answer.timeout !== undefined ? { timeout: answer.timeout } : {}),
      });
      if (action === 'shutdown') prompts.watchShutdowns(jobs, targets);
    } catch (error) {
      notify.failure('inventory.power.failed', error);
    }
  };
}

/**
 * Power actions from anywhere (tree, lists, summaries, palette). The questions
 * they ask are shown by the one <PowerActionsHost /> the shell renders.
 */
export function usePowerActions() {
  const inventory = useInventoryStore();
  const prompts = usePowerPrompts();
  const send = useSendPower();
  const { t } = useI18n();

  /** The actions that make sense for these entries' states, each enabled or not by the user's privileges (none without VM.Audit). */
  function choices(entries: InventoryEntry[]): PowerChoice[] {
    return powerOptions(entries, inventory.can).map(({ action, missing }) => ({
      action,
      enabled: missing === undefined,
      ...(missing === undefined ? {} : { reason: t('inventory.power.missingPrivilege', { privilege: missing }) }),
      confirm: asksFirst(action, powerTargets(action, entries, inventory.can).length),
    }));
  }

  /** Confirms where data may be lost, calls inventory.power (its jobs show in the task pane); a failed shutdown is offered a stop. */
  async function run(action: PowerAction, entries: InventoryEntry[]): Promise<void> {
    const targets = powerTargets(action, entries, inventory.can);
    if (targets.length === 0) return;
    const answer = asksFirst(action, targets.length) ? await prompts.ask(action, targets) : {};
    if (answer !== undefined) await send(action, targets, answer);
  }

  /**
   * One guest's menu, the same in the tree and the lists: open, then its power actions; those that ask first end with "…",
   * refused ones stay listed, disabled, with the missing privilege as their title; then the actions other features contribute.
   */
  function menuOptions(entry: InventoryEntry): DropdownOption[] {
    return [
      { key: 'open', label: t('inventory.tree.open') },
      ...choices([entry]).map((choice) => ({
        key: `power-${choice.action}`,
        label: `${t(`inventory.power.actions.${choice.action}`)}${choice.confirm ? '…' : ''}`,
        disabled: !choice.enabled,
        ...(choice.reason === undefined ? {} : { props: { title: choice.reason, 'aria-disabled': true } }),
      })),
      ...guestActionMenuOptions(entry),
    ];
  }

  return { choices, run, menuOptions };
}
