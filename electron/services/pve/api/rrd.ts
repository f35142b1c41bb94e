import { rrdData, type RrdRow } from '../../../../shared/pve/rrd';
import { segment, type ApiCall } from './api-call';

export type { RrdRow };

/** `GET /nodes/{node}/rrddata`, or a guest's `GET /nodes/{node}/qemu/{vmid}/rrddata` with `vmid`. */
export function rrdCall(node: string, vmid: number | undefined, query: { timeframe: string; cf: string }): ApiCall<RrdRow[]> {
  const guest = vmid !== undefined;
  return {
    method: 'GET',
    path: guest ? `/nodes/${segment(node)}/qemu/${segment(vmid)}/rrddata` : `/nodes/${segment(node)}/rrddata`,
    name: guest ? 'GET /nodes/{node}/qemu/{vmid}/rrddata' : 'GET /nodes/{node}/rrddata',
    authenticated: true,
    query: { ...query },
    data: rrdData,
  };
}
