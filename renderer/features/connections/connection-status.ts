import { CheckmarkCircleOutline, CloudOfflineOutline, EllipseOutline, KeyOutline, ShieldOutline, SyncOutline } from '@vicons/ionicons5';
import { useThemeVars } from 'naive-ui';
import type { Component } from 'vue';
import type { ConnectionStatus } from '../../../shared/domain/connections';

type TagType = 'default' | 'success' | 'info' | 'warning' | 'error';

/** Each state has its own icon as well as its colour, so it reads without telling colours apart. */
export const statusLook: Record<ConnectionStatus, { type: TagType; icon: Component }> = {
  disconnected: { type: 'default', icon: EllipseOutline },
  connecting: { type: 'info', icon: SyncOutline },
  connected: { type: 'success', icon: CheckmarkCircleOutline },
  renewing: { type: 'info', icon: SyncOutline },
  offline: { type: 'warning', icon: CloudOfflineOutline },
  'certificate-problem': { type: 'error', icon: ShieldOutline },
  'login-required': { type: 'warning', icon: KeyOutline },
};

/** States in which a session exists or is being set up: the row offers to disconnect, not to connect. */
export function hasSession(status: ConnectionStatus): boolean {
  return status === 'connected' || status === 'renewing' || status === 'connecting';
}

/** The theme's colour for a state, for places that show it without a tag. */
export function useStatusColor(): (status: ConnectionStatus) => string {
  const vars = useThemeVars();
  return (status) => {
    const { type } = statusLook[status];
    return type === 'default' ? vars.value.textColor3 : vars.value[`${type}Color`];
  };
}
