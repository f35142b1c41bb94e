import type { ConnectionState, ConnectionStatus } from '../../../shared/domain/connections';
import { DescribedError } from '../../../shared/text/sentence';
import { PveError, type PveClientEvent } from '../pve';

export function stateOf(status: ConnectionStatus, extra: Omit<ConnectionState, 'status' | 'since'> = {}): ConnectionState {
  return { status, ...extra, since: new Date().toISOString() };
}

/** Which status a failure leaves a profile in: the list shows offline clusters and certificate problems apart from wrong passwords. */
export function statusAfterFailure(error: unknown): ConnectionStatus {
  if (!(error instanceof PveError)) return 'disconnected';
  switch (error.code) {
    case 'UNREACHABLE':
    case 'TIMEOUT':
      return 'offline';
    case 'TLS_MISMATCH':
    case 'TLS_UNTRUSTED':
      return 'certificate-problem';
    case 'AUTH_FAILED':
    case 'SECOND_FACTOR_REQUIRED':
      return 'login-required';
    default:
      return 'disconnected';
  }
}

export function failedState(error: unknown, previous?: ConnectionState): ConnectionState {
  const message = error instanceof DescribedError ? error.carried() : { message: error instanceof Error ? error.message : String(error) };
  const code = error instanceof PveError ? error.code : 'INTERNAL';
  // The endpoint that failed (a certificate problem names one), so the list can offer to review it.
  const failedAt =
    error instanceof PveError && 'endpoint' in error.details && typeof error.details.endpoint === 'string' ? { endpoint: error.details.endpoint } : {};
  return stateOf(statusAfterFailure(error), { ...identityOf(previous), ...failedAt, error: { code, ...message } });
}

/** The state a live client's own report moves a connected profile to. */
export function stateAfterEvent(event: PveClientEvent, previous: ConnectionState): ConnectionState {
  switch (event.type) {
    case 'endpoint-changed':
      return { ...previous, endpoint: event.endpoint };
    case 'session-renewed':
    case 'relogged-in':
      return stateOf('connected', identityOf(previous));
    case 'renewal-failed':
      // The ticket is still good for a while; an unreachable cluster is offline all the same.
      if (statusAfterFailure(event.error) === 'offline') return failedState(event.error, previous);
      return stateOf('renewing', { ...identityOf(previous), error: { code: event.error.code, ...event.error.carried() } });
    case 'session-lost':
      return failedState(event.error, previous);
  }
}

/** Where and as whom a profile is connected: what a state change keeps. */
export function identityOf(state: ConnectionState | undefined): Omit<ConnectionState, 'status' | 'since' | 'error'> {
  if (state === undefined) return {};
  const { endpoint, userid, clusterName } = state;
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(userid !== undefined ? { userid } : {}),
    ...(clusterName !== undefined ? { clusterName } : {}),
  };
}
