import { request, type Agent } from 'node:https';
import type { PveEndpoint } from '../endpoint';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Full path with query, such as `/api2/json/cluster/resources?type=vm`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  /** PVE repeats its error message in the status line. */
  statusMessage: string;
  body: string;
}

export type ExchangeFailureReason = 'timeout' | 'cancelled' | 'network' | 'too-large';

/**
 * The request did not get a complete answer. `connected` says whether the
 * verified socket was handed to the request: when it was not, nothing was
 * sent and the request may safely go to another endpoint.
 */
export class ExchangeFailedError extends Error {
  readonly reason: ExchangeFailureReason;
  readonly connected: boolean;
  /** The keep-alive socket was reused: an immediate reset there usually means the server had just closed it. */
  readonly reusedSocket: boolean;
  readonly responseStarted: boolean;
  readonly code: string | undefined;

  constructor(
    details: { reason: ExchangeFailureReason; connected: boolean; reusedSocket: boolean; responseStarted: boolean; code?: string },
    options?: { cause?: unknown },
  ) {
    super(`HTTP exchange failed: ${details.reason}${details.code !== undefined ? ` (${details.code})` : ''}.`, options);
    this.name = 'ExchangeFailedError';
    this.reason = details.reason;
    this.connected = details.connected;
    this.reusedSocket = details.reusedSocket;
    this.responseStarted = details.responseStarted;
    this.code = details.code;
  }
}

const defaultMaxBodyBytes = 64 * 1024 * 1024;

/**
 * One HTTP request on one endpoint through its trusted agent. Rejects with
 * the verifier's own errors (TlsMismatchError, TlsUntrustedError,
 * ConnectFailedError) when the connection was refused before any byte was
 * sent, or with ExchangeFailedError.
 */
export function exchange(
  endpoint: PveEndpoint,
  agent: Agent,
  message: HttpRequest,
  limits: { timeoutMs: number; signal?: AbortSignal; maxBodyBytes?: number },
): Promise<HttpAnswer> {
  const maxBodyBytes = limits.maxBodyBytes ?? defaultMaxBodyBytes;
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    let connected = false;
    let responseStarted = false;
    let interruption: ExchangeFailedError | undefined;

    const headers: Record<string, string | number> = { Accept: 'application/json', ...message.headers };
    if (message.body !== undefined) headers['Content-Length'] = Buffer.byteLength(message.body);
    const outgoing = request({ host: endpoint.host, port: endpoint.port, method: message.method, path: message.path, headers, agent });

    const timer = setTimeout(() => interrupt('timeout'), limits.timeoutMs);
    const onAbort = (): void => interrupt('cancelled');
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    function describe(reason: ExchangeFailureReason, code?: string): ExchangeFailedError {
      return new ExchangeFailedError({
        reason,
        connected,
        reusedSocket: outgoing.reusedSocket,
        responseStarted,
        ...(code !== undefined ? { code } : {}),
      });
    }
    function settle(outcome: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      outcome();
    }
    function interrupt(reason: ExchangeFailureReason): void {
      interruption ??= describe(reason);
      outgoing.destroy(interruption);
      settle(() => reject(interruption));
    }
    function onError(error: NodeJS.ErrnoException): void {
      if (interruption !== undefined) return settle(() => reject(interruption));
      // Errors from the agent's verifier arrive here unchanged and carry their own meaning.
      if (error.name === 'TlsMismatchError' || error.name === 'TlsUntrustedError' || error.name === 'ConnectFailedError') {
        return settle(() => reject(error));
      }
      const failure = describe('network', error.code);
      settle(() => reject(Object.assign(failure, { cause: error })));
    }

    outgoing.on('socket', () => {
      connected = true;
    });
    outgoing.on('error', onError);
    outgoing.on('response', (response) => {
      responseStarted = true;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          interrupt('too-large');
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', onError);
      response.on('end', () => {
        settle(() =>
          resolve({
            status: response.statusCode ?? 0,
            statusMessage: response.statusMessage ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
    });

    if (limits.signal?.aborted === true) {
      interrupt('cancelled');
      return;
    }
    outgoing.end(message.body);
  });
}
