import { powerActions, type PowerAction } from '../../../shared/domain/inventory';
import type { InventoryEntry } from './inventory-store';

/** The privilege PVE checks for every `/status/<action>` call of a guest. */
export const powerPrivilege = 'VM.PowerMgmt';
/** Without it the user may not even see the guest's state, so no action is offered at all. */
export const auditPrivilege = 'VM.Audit';

/** Where data may be lost (or a selection acts on several guests at once): the user confirms first. Shutdown also asks for its timeout. */
const riskyActions: ReadonlySet<PowerAction> = new Set(['shutdown', 'stop', 'reboot', 'reset', 'hibernate']);

export type Can = (profileId: string, path: string, privilege: string) => boolean;

export interface PowerOption {
  action: PowerAction;
  /** The privilege some of the guests lack, when any does. */
  missing?: string;
}

/** The actions a guest's state allows. Containers are shown read-only, templates never run. */
export function actionsFor({ item }: InventoryEntry): readonly PowerAction[] {
  if (item.type !== 'qemu' || item.template === true || typeof item.vmid !== 'number' || typeof item.node !== 'string') return [];
  switch (item.status) {
    case 'stopped':
      return ['start'];
    case 'running':
      return ['shutdown', 'stop', 'reboot', 'reset', 'suspend', 'hibernate'];
    case 'paused':
    case 'suspended':
      return ['resume'];
    default:
      return [];
  }
}

function guestPath(entry: InventoryEntry): string {
  return `/vms/${entry.item.vmid ?? ''}`;
}

/** The guests among `entries` the user may see the power state of (VM.Audit). */
function audited(entries: InventoryEntry[], can: Can): InventoryEntry[] {
  return entries.filter((entry) => can(entry.profileId, guestPath(entry), auditPrivilege));
}

/** The actions that make sense for any of these guests, in the usual order, each with the privilege missing to run it on all of them. */
export function powerOptions(entries: InventoryEntry[], can: Can): PowerOption[] {
  const visible = audited(entries, can);
  return powerActions.flatMap((action) => {
    const concerned = visible.filter((entry) => actionsFor(entry).includes(action));
    if (concerned.length === 0) return [];
    const allowed = concerned.every((entry) => can(entry.profileId, guestPath(entry), powerPrivilege));
    return [allowed ? { action } : { action, missing: powerPrivilege }];
  });
}

/** The guests an action will run on: those whose state allows it and on which the user holds the privilege. */
export function powerTargets(action: PowerAction, entries: InventoryEntry[], can: Can): InventoryEntry[] {
  return audited(entries, can).filter((entry) => actionsFor(entry).includes(action) && can(entry.profileId, guestPath(entry), powerPrivilege));
}

/** Whether running `action` on `count` guests asks first. */
export function asksFirst(action: PowerAction, count: number): boolean {
  return count > 1 || riskyActions.has(action);
}
