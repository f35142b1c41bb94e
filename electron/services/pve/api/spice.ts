import { spiceProxyAnswerData, type SpiceProxyAnswer } from '../../../../shared/pve/spice';
import { segment, type ApiCall } from './api-call';

export type { SpiceProxyAnswer };

/**
 * `POST /nodes/{node}/qemu/{vmid}/spiceproxy`: a proxy ticket and a one-time SPICE password. `proxy` is the address
 * the client reaches the cluster by (without it PVE names the node's `hostname -f`, which desktops often cannot resolve).
 */
export function spiceProxyCall(node: string, vmid: number, proxy: string): ApiCall<SpiceProxyAnswer> {
  return {
    method: 'POST',
    path: `/nodes/${segment(node)}/qemu/${segment(vmid)}/spiceproxy`,
    name: 'POST /nodes/{node}/qemu/{vmid}/spiceproxy',
    authenticated: true,
    form: { proxy },
    data: spiceProxyAnswerData,
  };
}
