import type { ConnectionProfile, EndpointSetting, ProfileFields } from '../../../shared/domain/connections';
import type { Logger } from '../log';
import { createPveClient, type PveAuthMethod, type PveClient, type PveClientOptions, type PveEndpoint } from '../pve';

/** Timeouts and renewal period of the PVE clients; tests shorten them. */
export type ClientTuning = Pick<PveClientOptions, 'timeoutMs' | 'connectTimeoutMs' | 'renewIntervalMs'>;

/** A PVE client for a profile's endpoints and account: the one way the app builds one, saved or still a draft. */
export function createProfileClient(
  profile: Pick<ConnectionProfile, 'endpoints' | 'auth'>,
  credentials: () => Promise<string | undefined>,
  options: { logger: Logger; tuning?: ClientTuning },
): PveClient {
  return createPveClient({
    endpoints: profile.endpoints.map(toPveEndpoint),
    auth: toAuthMethod(profile.auth),
    credentials,
    logger: options.logger,
    ...options.tuning,
  });
}

function toPveEndpoint(endpoint: EndpointSetting): PveEndpoint {
  return { host: endpoint.host, port: endpoint.port, trust: endpoint.trust };
}

function toAuthMethod(auth: ProfileFields['auth']): PveAuthMethod {
  return auth.kind === 'token' ? { kind: 'token', tokenId: auth.tokenId } : { kind: 'password', username: auth.username, realm: auth.realm };
}
