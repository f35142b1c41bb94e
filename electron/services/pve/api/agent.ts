import { agentInterfacesData, type AgentInterface } from '../../../../shared/pve/guest';
import { segment, type ApiCall } from './api-call';

export type { AgentInterface };

/**
 * The guest agent's `network-get-interfaces` (qemu-server PVE/API2/Qemu/Agent.pm).
 * PVE answers 500 "No QEMU guest agent configured", "VM {vmid} not running"
 * or "QEMU guest agent is not running" when there is nobody to ask.
 */
export function agentInterfacesCall(node: string, vmid: number): ApiCall<AgentInterface[]> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/agent/network-get-interfaces`,
    name: 'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
    authenticated: true,
    data: agentInterfacesData,
  };
}
