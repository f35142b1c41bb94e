import type { IncomingMessage } from 'node:http';
import type { Agent } from 'node:https';
import { WebSocket } from 'ws';
import { withoutBidiControls } from '../../../../shared/text/bidi-controls';
import { sentenceOfError, type Sentence } from '../../../../shared/text/sentence';
import { endpointLabel, type PveEndpoint } from '../endpoint';
import { missingPrivilege, PveError, parsePermissionMessage } from '../errors';
import { ConnectFailedError, TlsMismatchError, TlsUntrustedError } from '../tls/tls-errors';
import type { CallLimits } from './api-transport';

export interface OpenWebSocketRequest {
  endpoint: PveEndpoint;
  /** The endpoint's verified agent: the websocket's TLS is checked exactly as the API calls' is. */
  agent: Agent;
  /** Full path, such as `/api2/json/nodes/pve1/qemu/100/vncwebsocket`. */
  path: string;
  /** Encoded here (a vncticket holds `#`, `&`, `:`, `+`…). */
  query: Record<string, string>;
  /** The session's authentication (Cookie or Authorization); PVE needs no CSRF token on a GET. */
  headers: Record<string, string>;
}

const defaultHandshakeTimeoutMs = 10_000;

/**
 * Opens a console websocket to PVE with the `binary` subprotocol (the only one pveproxy serves) and resolves once
 * it is open; every failure is a PveError saying why, without the query (it holds the console ticket).
 */
export function openPveWebSocket(request: OpenWebSocketRequest, limits: CallLimits = {}): Promise<WebSocket> {
  const label = endpointLabel(request.endpoint);
  const call = `GET ${request.path.replace(/^\/api2\/json/, '')}`;
  if (limits.signal?.aborted === true) return Promise.reject(cancelled());
  const url = `wss://${label}${request.path}?${new URLSearchParams(request.query).toString()}`;
  const timeoutMs = limits.timeoutMs ?? defaultHandshakeTimeoutMs;
  const socket = new WebSocket(url, ['binary'], {
    agent: request.agent,
    headers: request.headers,
    perMessageDeflate: false,
    followRedirects: false,
    handshakeTimeout: timeoutMs,
  });
  return new Promise<WebSocket>((resolve, reject) => {
    const fail = (error: PveError): void => {
      cleanup();
      socket.terminate();
      reject(error);
    };
    const onAbort = (): void => fail(cancelled());
    const onOpen = (): void => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: Error): void => fail(describeFailure(error, label, timeoutMs));
    const onResponse = (_request: unknown, response: IncomingMessage): void => {
      response.resume();
      fail(refusal(response, label, call));
    };
    const cleanup = (): void => {
      limits.signal?.removeEventListener('abort', onAbort);
      socket.off('open', onOpen).off('error', onError).off('unexpected-response', onResponse);
      // A late error (the socket torn down after a refusal) must not become an unhandled 'error' event.
      socket.on('error', () => undefined);
    };
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('open', onOpen).once('error', onError).once('unexpected-response', onResponse);
  });
}

function cancelled(): PveError<'CANCELLED'> {
  return new PveError('CANCELLED', { en: 'The request was cancelled.', fr: 'La requête a été annulée.' }, {});
}

/** PVE's refusal of the upgrade, as the API calls' refusals are told. */
function refusal(response: IncomingMessage, endpoint: string, call: string): PveError {
  const status = response.statusCode ?? 0;
  const message = withoutBidiControls(response.statusMessage ?? '')
    .trim()
    .slice(0, 500);
  if (status === 401) {
    return new PveError(
      'AUTH_FAILED',
      {
        en: `${endpoint} refused the console's credentials (${message || 'authentication failure'}). Open the console again.`,
        fr: `${endpoint} a refusé les identifiants de la console (${message || 'échec de l’authentification'}). Rouvrez la console.`,
      },
      { endpoint },
    );
  }
  if (status === 403) {
    const { path, privilege } = parsePermissionMessage(message);
    const what = missingPrivilege(path, privilege);
    return new PveError(
      'PERMISSION_DENIED',
      {
        en: `This account lacks ${what.en} (${call}). Ask a PVE administrator to grant it.`,
        fr: `Il manque à ce compte ${what.fr} (${call}). Demandez à un administrateur PVE de le lui accorder.`,
      },
      {
        ...(path !== undefined ? { path } : {}),
        ...(privilege !== undefined ? { privilege } : {}),
        serverMessage: message,
      },
    );
  }
  return new PveError(
    'SERVER_ERROR',
    {
      en: `${endpoint} refused the console websocket (${call}) with ${status}: ${message || 'no message'}.`,
      fr: `${endpoint} a refusé le websocket de la console (${call}) avec l’erreur ${status} : ${message || 'aucun message'}.`,
    },
    { endpoint, status, serverMessage: message },
  );
}

function describeFailure(error: Error, endpoint: string, timeoutMs: number): PveError {
  if (error instanceof TlsMismatchError) {
    return new PveError('TLS_MISMATCH', sentenceOfError(error), { endpoint, expected: error.expected, actual: error.actual });
  }
  if (error instanceof TlsUntrustedError) return new PveError('TLS_UNTRUSTED', sentenceOfError(error), { endpoint, reason: error.reason });
  if (error instanceof ConnectFailedError) return unreachable(endpoint, error.detail);
  if (/handshake has timed out/i.test(error.message)) {
    const seconds = Math.round(timeoutMs / 1000);
    return new PveError(
      'TIMEOUT',
      { en: `${endpoint} did not open the console within ${seconds} s.`, fr: `${endpoint} n’a pas ouvert la console en ${seconds} s.` },
      { endpoint, timeoutMs },
    );
  }
  // The host that answered vncproxy closing the connection unanswered: PVE could not reach the console's listener.
  return unreachable(endpoint, { en: 'the connection closed before the console opened', fr: 'la connexion s’est fermée avant l’ouverture de la console' });
}

function unreachable(endpoint: string, reason: Sentence): PveError<'UNREACHABLE'> {
  return new PveError(
    'UNREACHABLE',
    { en: `Could not open the console at ${endpoint}: ${reason.en}.`, fr: `Impossible d’ouvrir la console sur ${endpoint} : ${reason.fr}.` },
    { tried: [{ endpoint, reason: reason.en }] },
  );
}
