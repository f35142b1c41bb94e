import type { DropdownOption } from 'naive-ui';
import { onScopeDispose, shallowReactive } from 'vue';
import type { InventoryEntry } from './inventory-store';

/**
 * An action another feature offers on an inventory item (clone, migrate,
 * delete…): the inventory shows it in the item's menu and its page header
 * without knowing what it does.
 */
export interface ContributedAction {
  /** Unique among the item's actions; the menu key is `action-<key>`. */
  key: string;
  /** Translated. */
  label: string;
  testId: string;
  run: () => void;
  enabled: boolean;
  /** Why it is disabled (the missing privilege, the wrong state), translated. */
  reason?: string;
  /** Destroys something: shown as a risky choice. */
  danger?: boolean;
}

export type GuestAction = ContributedAction;
export type NodeAction = ContributedAction;
export type ClusterAction = ContributedAction;

/** A node of a cluster, as node actions receive it. */
export interface NodeRef {
  profileId: string;
  node: string;
}

type Provider<Target> = (target: Target) => ContributedAction[];

// Module-level and reactive: views that list actions redraw when a feature contributes or withdraws its own.
const guestProviders = shallowReactive<Provider<InventoryEntry>[]>([]);
const nodeProviders = shallowReactive<Provider<NodeRef>[]>([]);
const clusterProviders = shallowReactive<Provider<string>[]>([]);

function contribute<Target>(providers: Provider<Target>[], provider: Provider<Target>): () => void {
  providers.push(provider);
  const withdraw = (): void => {
    const index = providers.indexOf(provider);
    if (index >= 0) providers.splice(index, 1);
  };
  // Contributed from a component's setup: withdrawn when that component goes, so a remount does not list the actions twice.
  onScopeDispose(withdraw, true);
  return withdraw;
}

/** Offers actions on guests; returns the function that withdraws them. */
export function contributeGuestActions(provider: Provider<InventoryEntry>): () => void {
  return contribute(guestProviders, provider);
}

/** Offers actions on nodes; returns the function that withdraws them. */
export function contributeNodeActions(provider: Provider<NodeRef>): () => void {
  return contribute(nodeProviders, provider);
}

/** Offers actions on clusters (given their profile id); returns the function that withdraws them. */
export function contributeClusterActions(provider: Provider<string>): () => void {
  return contribute(clusterProviders, provider);
}

/** Every feature's actions for this guest, in the order the features contributed them. */
export function guestActions(entry: InventoryEntry): GuestAction[] {
  return guestProviders.flatMap((provider) => provider(entry));
}

/** Every feature's actions for this node. */
export function nodeActions(node: NodeRef): NodeAction[] {
  return nodeProviders.flatMap((provider) => provider(node));
}

/** Every feature's actions for the cluster of this profile. */
export function clusterActions(profileId: string): ClusterAction[] {
  return clusterProviders.flatMap((provider) => provider(profileId));
}

const menuKeyPrefix = 'action-';

/** The guest's contributed actions as menu options, after a divider; refused ones stay listed, disabled, with their reason as title. */
export function guestActionMenuOptions(entry: InventoryEntry): DropdownOption[] {
  const actions = guestActions(entry);
  if (actions.length === 0) return [];
  return [
    { type: 'divider', key: 'contributed-divider' },
    ...actions.map((action) => ({
      key: `${menuKeyPrefix}${action.key}`,
      label: action.label,
      disabled: !action.enabled,
      props: { 'data-testid': `menu-${action.testId}`, ...(action.reason === undefined ? {} : { title: action.reason, 'aria-disabled': true }) },
    })),
  ];
}

/** Runs the contributed action a menu key names; false when the key is not one. */
export function runGuestMenuAction(entry: InventoryEntry, key: string): boolean {
  if (!key.startsWith(menuKeyPrefix)) return false;
  const action = guestActions(entry).find((candidate) => `${menuKeyPrefix}${candidate.key}` === key);
  if (action?.enabled === true) action.run();
  return action !== undefined;
}
