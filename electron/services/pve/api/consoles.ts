import { termProxyAnswerData, vncProxyAnswerData, type TermProxyAnswer, type VncProxyAnswer } from '../../../../shared/pve/consoles';
import { spiceProxyAnswerData, type SpiceProxyAnswer } from '../../../../shared/pve/spice';
import { segment, type ApiCall } from './api-call';

export type { SpiceProxyAnswer, TermProxyAnswer, VncProxyAnswer };

function guestPath(node: string, vmid: number): string {
  return `/nodes/${segment(node)}/qemu/${segment(vmid)}`;
}

/** `POST /nodes/{node}/qemu/{vmid}/vncproxy` for a websocket: its ticket opens `vncwebsocket` on the answering host only. */
export function vncProxyCall(node: string, vmid: number): ApiCall<VncProxyAnswer> {
  return {
    method: 'POST',
    path: `${guestPath(node, vmid)}/vncproxy`,
    name: 'POST /nodes/{node}/qemu/{vmid}/vncproxy',
    authenticated: true,
    form: { websocket: 1 },
    data: vncProxyAnswerData,
  };
}

/**
 * `POST /nodes/{node}/qemu/{vmid}/spiceproxy`: a proxy ticket and a one-time SPICE password. `proxy` is the address
 * the client reaches the cluster by (without it PVE names the node's `hostname -f`, which desktops often cannot resolve).
 */
export function spiceProxyCall(node: string, vmid: number, proxy: string): ApiCall<SpiceProxyAnswer> {
  return {
    method: 'POST',
    path: `${guestPath(node, vmid)}/spiceproxy`,
    name: 'POST /nodes/{node}/qemu/{vmid}/spiceproxy',
    authenticated: true,
    form: { proxy },
    data: spiceProxyAnswerData,
  };
}

/** `POST /nodes/{node}/qemu/{vmid}/termproxy`: a guest's serial port as a terminal. */
export function guestTermProxyCall(node: string, vmid: number, serial: string): ApiCall<TermProxyAnswer> {
  return {
    method: 'POST',
    path: `${guestPath(node, vmid)}/termproxy`,
    name: 'POST /nodes/{node}/qemu/{vmid}/termproxy',
    authenticated: true,
    form: { serial },
    data: termProxyAnswerData,
  };
}

/** `POST /nodes/{node}/termproxy`: a shell on the node (Sys.Console). */
export function nodeTermProxyCall(node: string): ApiCall<TermProxyAnswer> {
  return { method: 'POST', path: `/nodes/${segment(node)}/termproxy`, name: 'POST /nodes/{node}/termproxy', authenticated: true, data: termProxyAnswerData };
}

/** The websocket paths of the consoles (full paths: `PveClient.openWebSocket` takes them as they are). */
export function guestConsoleWebSocketPath(node: string, vmid: number): string {
  return `/api2/json${guestPath(node, vmid)}/vncwebsocket`;
}

export function nodeConsoleWebSocketPath(node: string): string {
  return `/api2/json/nodes/${segment(node)}/vncwebsocket`;
}
