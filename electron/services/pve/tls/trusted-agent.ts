import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { connectPinned } from './connect-pinned';
import { connectVerified } from './connect-verified';
import type { TlsTrust } from './trust';

const defaultConnectTimeoutMs = 10_000;

/**
 * An HTTPS keep-alive agent whose sockets are opened by one of the two
 * verifiers and handed to HTTP only after the certificate was accepted. It
 * uses the asynchronous form of `createConnection` (return nothing, call
 * back later) that Node's Agent supports. Console websockets take the same
 * agent, so requests and consoles go through the same check.
 */
export class TrustedAgent extends Agent {
  readonly trust: TlsTrust;
  private readonly connectTimeoutMs: number;

  constructor(trust: TlsTrust, options: { connectTimeoutMs?: number; maxSockets?: number } = {}) {
    const agentOptions: AgentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 6 };
    super(agentOptions);
    this.trust = trust;
    this.connectTimeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;
  }

  // Returning nothing and calling back later is the asynchronous form of
  // createConnection: the request waits until the verifier has decided.
  override createConnection(options: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 443);
    this.open(host, port).then(
      (socket) => callback?.(null, socket),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }

  private open(host: string, port: number): Promise<TLSSocket> {
    const limits = { host, port, timeoutMs: this.connectTimeoutMs, keepAlive: true };
    return this.trust.mode === 'pinned' ? connectPinned({ ...limits, fingerprint: this.trust.fingerprint }) : connectVerified(limits);
  }
}
