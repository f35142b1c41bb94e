import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConsoleGateway, ConsoleProxy } from '../contracts';
import { joinStreams } from './join-streams';
import { listenOnce, type OneShotListener } from './one-shot-listener';
import type { NodeShellCommand } from './pty-shell';
import { SpiceConnectProxy } from './spice-connect-proxy';
import { issueSpiceProxyTicket, verifySpiceProxyTicket } from './spice-ticket';
import { serveTermproxyClient, type TermTarget } from './termproxy-session';
import { refuseUpgrade, WebSocketRelay } from './websocket-relay';

export type { NodeShellCommand } from './pty-shell';

export interface ConsoleGatewayOptions {
  /** Signs the spice proxy tickets; the lab's cluster secret. */
  signingKey: Buffer;
  /** The node shell termproxy `{kind: 'shell'}` runs on a PTY. */
  nodeShell: (node: string) => NodeShellCommand;
  log?: (line: string) => void;
  /** Port of the SPICE CONNECT proxy (PVE: 3128); 0 or absent picks a free one. */
  spiceProxyPort?: number;
  /** How long a vncproxy/termproxy listener waits for its one client (PVE: 10 s). */
  acceptTimeoutMs?: number;
  /** Validity of a spice proxy ticket after issue (PVE: 40 s). */
  spiceTicketLifetimeSeconds?: number;
  /** Clock in epoch milliseconds; tests move it to expire tickets. */
  now?: () => number;
}

export interface StartedConsoleGateway extends ConsoleGateway {
  /** Settles when the SPICE proxy listens; `spiceProxyPort()` throws before. */
  ready: Promise<void>;
}

/** A listener handed out by vncproxy/termproxy, waiting for its websocket or direct client. */
interface PendingProxy {
  kind: 'vnc' | 'term';
  ticket: string;
  /** The node whose localhost the listener is on (PVE: the node that answered vncproxy/termproxy). */
  node: string;
  deadline: number;
  listener: OneShotListener;
}

const DEFAULT_ACCEPT_TIMEOUT_MS = 10_000;
const DEFAULT_SPICE_TICKET_SECONDS = 40;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The console side of the lab, shaped like PVE's: `qm vncproxy` and
 * termproxy listeners opened per request, the vncwebsocket bridge pveproxy
 * runs, and spiceproxy on its own port. Returns at once; await `ready` (or
 * use startConsoleGateway) before asking for `spiceProxyPort()`.
 */
export function createConsoleGateway(options: ConsoleGatewayOptions): StartedConsoleGateway {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const acceptTimeoutMs = options.acceptTimeoutMs ?? DEFAULT_ACCEPT_TIMEOUT_MS;
  const spiceLifetime = options.spiceTicketLifetimeSeconds ?? DEFAULT_SPICE_TICKET_SECONDS;
  const pending = new Map<number, PendingProxy>();
  const connections = new Set<Duplex>();
  // Termproxy sessions until their terminal is gone: close() waits for them so no node shell outlives the gateway.
  const sessions = new Set<Promise<void>>();
  const relay = new WebSocketRelay();
  let closed = false;

  const spiceProxy = new SpiceConnectProxy({
    port: options.spiceProxyPort ?? 0,
    upstreamHost: '127.0.0.1',
    headerTimeoutMs: acceptTimeoutMs,
    verifyTicket: (ticket) => verifySpiceProxyTicket(options.signingKey, ticket, now() / 1000, spiceLifetime),
    log,
  });

  const track = (socket: Duplex): void => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  };

  const openListener = async (kind: PendingProxy['kind'], ticket: string, node: string, serve: (socket: Socket) => void): Promise<ConsoleProxy> => {
    if (closed) throw new Error('the console gateway is closed');
    let client: Socket | undefined;
    const listener = await listenOnce(
      (socket) => {
        client = socket;
        track(socket);
        serve(socket);
      },
      { acceptTimeoutMs, onTimeout: () => log(`${kind}proxy on port ${listener.port}: no client within ${acceptTimeoutMs} ms, closed`) },
    );
    pending.set(listener.port, { kind, ticket, node, deadline: now() + acceptTimeoutMs, listener });
    // Once the listener has its client or its time is up, its ticket opens nothing any more.
    void listener.closed.then(() => {
      if (pending.get(listener.port)?.listener === listener) pending.delete(listener.port);
    });
    const ended = listener.closed.then(async () => {
      if (client === undefined) return 'no client' as const;
      if (!client.destroyed) await new Promise((resolve) => client?.once('close', resolve));
      return 'session ended' as const;
    });
    return { port: listener.port, ended };
  };

  return {
    ready: spiceProxy.ready,

    openVncProxy(target, { ticket, listensOn }) {
      return openListener('vnc', ticket, listensOn, (client) => {
        const upstream = connect({ host: target.host, port: target.port });
        track(upstream);
        joinStreams(client, upstream);
      });
    },

    openTermProxy(target: TermTarget, { user, ticket, listensOn }) {
      return openListener('term', ticket, listensOn, (client) => {
        const session = serveTermproxyClient(client, { user, ticket, target, nodeShell: options.nodeShell, authTimeoutMs: acceptTimeoutMs, log });
        sessions.add(session);
        void session.then(() => sessions.delete(session));
      });
    },

    handleVncWebSocket(request: IncomingMessage, socket: Duplex, head: Buffer, port: number, vncticket: string, arrivedOn: string) {
      const entry = pending.get(port);
      if (entry && entry.node !== arrivedOn) {
        // PVE's websocket_proxy connects to localhost:<port> of the node the websocket reached; nothing listens there,
        // the connect fails and the client's connection is dropped without an answer.
        log(`vncwebsocket: connect to 'localhost:${port}' on ${arrivedOn} failed: the proxy listens on ${entry.node}`);
        socket.destroy();
        return;
      }
      if (closed || !entry || !sameSecret(entry.ticket, vncticket) || now() > entry.deadline) {
        log(`vncwebsocket: refused port ${port}: no proxy waiting there for this ticket`);
        refuseUpgrade(socket, 401, 'permission denied - invalid PVEVNC ticket');
        return;
      }
      // One websocket per proxy: the listener itself also takes a single connection.
      pending.delete(port);
      track(socket);
      relay.relay(request, socket, head, port, () => log(`vncwebsocket: ${entry.kind} session on port ${port} ended`));
    },

    spiceProxyPort() {
      return spiceProxy.port;
    },

    issueSpiceProxyTicket(target) {
      return issueSpiceProxyTicket(options.signingKey, target, now() / 1000);
    },

    async close() {
      closed = true;
      for (const entry of pending.values()) entry.listener.close();
      pending.clear();
      relay.close();
      for (const socket of connections) socket.destroy();
      connections.clear();
      await Promise.all([spiceProxy.close(), ...sessions]);
    },
  };
}

/** createConsoleGateway, resolved once the SPICE proxy listens. */
export async function startConsoleGateway(options: ConsoleGatewayOptions): Promise<StartedConsoleGateway> {
  const gateway = createConsoleGateway(options);
  try {
    await gateway.ready;
  } catch (error) {
    await gateway.close();
    throw error;
  }
  return gateway;
}
