import {
  CloseCircleOutline,
  DocumentTextOutline,
  HelpCircleOutline,
  LockClosedOutline,
  MoonOutline,
  PauseCircleOutline,
  PlayCircleOutline,
  ServerOutline,
  ShieldCheckmarkOutline,
  StopCircleOutline,
} from '@vicons/ionicons5';
import { useThemeVars } from 'naive-ui';
import type { Component } from 'vue';
import type { InventoryItem } from '../../../shared/domain/inventory';

/** What an item's icon says at a glance; every state has its own shape as well as its colour. */
export const itemStates = ['running', 'stopped', 'paused', 'suspended', 'template', 'locked', 'online', 'offline', 'unknown'] as const;
export type ItemState = (typeof itemStates)[number];

type Tone = 'success' | 'muted' | 'warning' | 'info' | 'error' | 'accent';

export const stateLook: Record<ItemState, { icon: Component; tone: Tone }> = {
  running: { icon: PlayCircleOutline, tone: 'success' },
  stopped: { icon: StopCircleOutline, tone: 'muted' },
  paused: { icon: PauseCircleOutline, tone: 'warning' },
  suspended: { icon: MoonOutline, tone: 'info' },
  template: { icon: DocumentTextOutline, tone: 'accent' },
  locked: { icon: LockClosedOutline, tone: 'warning' },
  online: { icon: ServerOutline, tone: 'success' },
  offline: { icon: CloseCircleOutline, tone: 'error' },
  unknown: { icon: HelpCircleOutline, tone: 'muted' },
};

/** Drawn beside the state icon of a guest the HA manager looks after. */
export const haBadge: Component = ShieldCheckmarkOutline;

/**
 * The state an item shows. A lock outranks the power state (a backup or a
 * migration is running on it), a template is never "stopped", and a node
 * that is not `online` is offline whatever else PVE says.
 */
export function itemState(item: InventoryItem): ItemState {
  if (item.type === 'node') return item.status === 'online' ? 'online' : 'offline';
  if (item.type === 'qemu' || item.type === 'lxc') {
    if (item.template === true) return 'template';
    if (item.lock !== undefined && item.lock !== '') return 'locked';
    if (item.status === 'running') return 'running';
    if (item.status === 'paused') return 'paused';
    if (item.status === 'suspended') return 'suspended';
    if (item.status === 'stopped') return 'stopped';
    return 'unknown';
  }
  if (item.type === 'storage') return item.status === 'available' ? 'online' : 'offline';
  return 'unknown';
}

/** Whether the HA manager manages the guest (any `hastate` but none). */
export function isHaManaged(item: InventoryItem): boolean {
  return item.hastate !== undefined && item.hastate !== '' && item.hastate !== 'ignored';
}

/** The theme's colour for a state; contrast-checked against the page by the accessibility tests. */
export function useStateColor(): (state: ItemState) => string {
  const vars = useThemeVars();
  return (state) => {
    const { tone } = stateLook[state];
    if (tone === 'muted') return vars.value.textColor3;
    if (tone === 'accent') return vars.value.primaryColor;
    return vars.value[`${tone}Color`];
  };
}
