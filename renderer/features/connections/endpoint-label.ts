import type { ConnectionProfile, EndpointSetting } from '../../../shared/domain/connections';
import { hostPortLabel } from '../../../shared/domain/host-port';

/** `host:port` as the host reports `state.endpoint`. */
export function endpointLabel(endpoint: Pick<EndpointSetting, 'host' | 'port'>): string {
  return hostPortLabel(endpoint.host, endpoint.port);
}

/** Which endpoint a state's `endpoint` names (the host reports the one that failed); the first when none matches. */
export function endpointIndexOf(profile: Pick<ConnectionProfile, 'endpoints'>, endpoint: string | undefined): number {
  return Math.max(endpoint === undefined ? -1 : profile.endpoints.map(endpointLabel).indexOf(endpoint), 0);
}

/** The fingerprint an endpoint is pinned to, if it is pinned. */
export function pinnedFingerprint(profile: Pick<ConnectionProfile, 'endpoints'>, index: number): string | undefined {
  const trust = profile.endpoints[index]?.trust;
  return trust?.mode === 'pinned' ? trust.fingerprint : undefined;
}
