import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { maxViewerFrameBytes, relayCloseCodes } from '../../../../shared/domain/consoles';
import type { Logger } from '../../log';
import type { IssuedRelayUrl, RelayEntry } from './relay-entry';
import { RelayTokens, tokenPattern, type Admission } from './relay-tokens';
import { WindowKeys } from './window-keys';

export interface RelayServerOptions {
  logger: Logger;
  /** How long an issued URL opens its console (default 10 s). */
  lifetimeMs?: number;
  /** Viewer connections open at once, all consoles together (default 64). */
  maxConnections?: number;
  /** The clock tokens age by; tests move it. */
  now?: () => number;
}

const defaultLifetimeMs = 10_000;
const defaultMaxConnections = 64;
const relayPath = /^\/relay\/([^/?#]*)$/;

/**
 * The loopback WebSocket server every console's bytes go through: `issue` registers a prepared console under a
 * single-use token bound to the calling window, and the viewer's connection to `/relay/<token>` is handed to that
 * console once the token and the window's proof check out. A refused token still completes the handshake and is
 * then closed with `relayCloseCodes.tokenRefused`, because a browser cannot read a refused handshake's status.
 */
export class RelayServer {
  private readonly windows = new WindowKeys();
  private readonly tokens: RelayTokens;
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxViewerFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });
  private readonly viewers = new Set<WebSocket>();
  private pendingUpgrades = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: Required<Pick<RelayServerOptions, 'lifetimeMs' | 'maxConnections'>> & { logger: Logger },
    now: () => number,
  ) {
    this.tokens = new RelayTokens(this.windows, { lifetimeMs: options.lifetimeMs, now });
  }

  static async listen(options: RelayServerOptions): Promise<RelayServer> {
    const server = createServer((_request, response) => response.writeHead(404, { Connection: 'close' }).end());
    const relay = new RelayServer(
      server,
      { logger: options.logger, lifetimeMs: options.lifetimeMs ?? defaultLifetimeMs, maxConnections: options.maxConnections ?? defaultMaxConnections },
      options.now ?? Date.now,
    );
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node takes its own error handler off an upgraded socket: without this one, a peer's reset stops the process.
      socket.on('error', () => socket.destroy());
      relay.upgrade(request, socket, head);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    options.logger.info('consoles.relay-listening', { port: relay.port });
    return relay;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Registers a prepared console; the URL opens it once, within the lifetime, from the entry's caller window only. */
  issue(entry: RelayEntry): IssuedRelayUrl {
    if (this.closed) throw new Error('The console relay is closed.');
    const token = this.tokens.issue(entry);
    return {
      url: `ws://127.0.0.1:${this.port}/relay/${token}`,
      protocols: ['binary', this.windows.proofOf(entry.caller)],
      expiresInMs: this.options.lifetimeMs,
    };
  }

  /** Ends every console and stops listening. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tokens.clear();
    for (const viewer of this.viewers) viewer.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const token = relayPath.exec(request.url ?? '')?.[1];
    if (token === undefined || !tokenPattern.test(token)) return refuseUpgrade(socket, 404);
    if (this.closed || this.viewers.size + this.pendingUpgrades >= this.options.maxConnections) {
      this.options.logger.warn('consoles.relay-refused', { reason: 'too many connections' });
      return refuseUpgrade(socket, 503);
    }
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
    // Decided before the handshake, so two connections racing with one token cannot both win it.
    const admission = this.tokens.admit(token, offered);
    let handshaken = false;
    this.pendingUpgrades += 1;
    socket.once('close', () => {
      if (handshaken) return;
      this.pendingUpgrades -= 1;
      // The handshake failed after the token was spent: the console it prepared will never be used.
      if (admission.admitted && admission.first) admission.entry.discard?.();
    });
    this.sockets.handleUpgrade(request, socket, head, (viewer) => {
      handshaken = true;
      this.pendingUpgrades -= 1;
      this.admit(viewer, admission);
    });
  }

  private admit(viewer: WebSocket, admission: Admission): void {
    this.viewers.add(viewer);
    viewer.once('close', () => this.viewers.delete(viewer));
    if (!admission.admitted) {
      this.options.logger.warn('consoles.relay-refused', { reason: admission.refusal });
      viewer.close(relayCloseCodes.tokenRefused, 'This console link is not valid (used, expired or issued to another window).');
      return;
    }
    const { entry, first } = admission;
    this.options.logger.info('consoles.relay-connected', { console: entry.label, first });
    try {
      entry.accept(viewer, first);
    } catch (error) {
      this.options.logger.error('consoles.relay-accept-failed', { console: entry.label, error });
      viewer.close(relayCloseCodes.protocolError, 'The console could not start.');
    }
  }
}

/** Answers a refused upgrade and destroys the socket once the answer is out. */
function refuseUpgrade(socket: Duplex, status: 404 | 503): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Service Unavailable'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
