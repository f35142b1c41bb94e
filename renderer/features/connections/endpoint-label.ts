import type { ConnectionProfile, EndpointSetting } from '../../../shared/domain/connections';

/** `host:port` as the host reports `state.endpoint`, with IPv6 addresses in brackets. */
export function endpointLabel(endpoint: Pick<EndpointSetting, 'host' | 'port'>): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/** Which endpoint a state's `endpoint` (or, failing that, its error message) names; the first when none matches. */
export function endpointIndexOf(profile: Pick<ConnectionProfile, 'endpoints'>, endpoint: string | undefined, message = ''): number {
  const labels = profile.endpoints.map(endpointLabel);
  const named = endpoint === undefined ? -1 : labels.indexOf(endpoint);
  if (named >= 0) return named;
  const mentioned = labels.findIndex((label) => message.includes(label));
  return Math.max(mentioned, 0);
}

/** The fingerprint an endpoint is pinned to, if it is pinned. */
export function pinnedFingerprint(profile: Pick<ConnectionProfile, 'endpoints'>, index: number): string | undefined {
  const trust = profile.endpoints[index]?.trust;
  return trust?.mode === 'pinned' ? trust.fingerprint : undefined;
}
