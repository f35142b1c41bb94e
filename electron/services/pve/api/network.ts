import { networkData, type NetworkEntry } from '../../../../shared/pve/storage';
import { segment, type ApiCall } from './api-call';

export type { NetworkEntry };

/** `GET /nodes/{node}/network?type=any_bridge`: Linux and OVS bridges a NIC can join. */
export function bridgesCall(node: string): ApiCall<NetworkEntry[]> {
  return {
    method: 'GET',
    path: `/nodes/${segment(node)}/network`,
    name: 'GET /nodes/{node}/network',
    authenticated: true,
    query: { type: 'any_bridge' },
    data: networkData,
  };
}
