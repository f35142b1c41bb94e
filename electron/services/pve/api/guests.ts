import { guestConfigData, guestStatusData, upidData, type GuestConfig, type GuestStatus } from '../../../../shared/pve/guest';
import { segment, type ApiCall } from './api-call';

export type { GuestConfig, GuestStatus };

function guestPath(node: string, vmid: number): string {
  return `/nodes/${segment(node)}/qemu/${segment(vmid)}`;
}

export function guestStatusCall(node: string, vmid: number): ApiCall<GuestStatus> {
  return {
    method: 'GET',
    path: `${guestPath(node, vmid)}/status/current`,
    name: 'GET /nodes/{node}/qemu/{vmid}/status/current',
    authenticated: true,
    data: guestStatusData,
  };
}

/** The current config (pending changes left out), with its `digest`. */
export function guestConfigCall(node: string, vmid: number): ApiCall<GuestConfig> {
  return { method: 'GET', path: `${guestPath(node, vmid)}/config`, name: 'GET /nodes/{node}/qemu/{vmid}/config', authenticated: true, data: guestConfigData };
}

/** PVE's power endpoints; hibernating is `suspend` with `todisk=1`. */
export type GuestPowerCommand = 'start' | 'shutdown' | 'stop' | 'reboot' | 'reset' | 'suspend' | 'resume';

/**
 * `POST /nodes/{node}/qemu/{vmid}/status/{command}` → the UPID of its task.
 * `timeout` is shutdown's (and reboot's) wait in seconds; without `forceStop`
 * a shutdown past it fails rather than pulling the plug.
 */
export function guestPowerCall(node: string, vmid: number, command: GuestPowerCommand, options: { timeout?: number; todisk?: boolean } = {}): ApiCall<string> {
  return {
    method: 'POST',
    path: `${guestPath(node, vmid)}/status/${command}`,
    name: `POST /nodes/{node}/qemu/{vmid}/status/${command}`,
    authenticated: true,
    form: { timeout: options.timeout, todisk: options.todisk === true ? 1 : undefined },
    data: upidData,
  };
}
