import { hostPortLabel } from '../../../shared/domain/host-port';
import type { TlsTrust } from './tls/trust';

/** One API address of a cluster (any node answers for the whole cluster), with how its certificate is trusted. */
export interface PveEndpoint {
  host: string;
  /** 8006 on a stock PVE node. */
  port: number;
  trust: TlsTrust;
}

/** `host:port`, with brackets around IPv6 addresses; what messages and events name an endpoint by. */
export function endpointLabel(endpoint: Pick<PveEndpoint, 'host' | 'port'>): string {
  return hostPortLabel(endpoint.host, endpoint.port);
}
