import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { maxRequestBytes } from '../../shared/ipc/limits';
import { webSocketProtocol } from '../../shared/ipc/web-protocol';
import type { Services } from '../services/create-services';
import { defaultMaxCallsInFlight, InFlightLimit, createIpcRouter, webSenderPolicy } from '../services/ipc';
import type { Logger } from '../services/log';
import { closeRefusedConnection, serveIpcConnection } from './ipc-connection';
import { createCredential, LaunchCredentials } from './launch-credentials';
import { refuseNonLocal } from './loopback';
import { createRefusalLog } from './refusal-log';
import { serveRendererFile } from './static-files';
import { refuseUpgrade, screenUpgrade } from './upgrade-gate';

export interface WebHost {
  port: number;
  /** The address to open, with the launch token in the fragment (never sent to the server, never logged). It opens one tab, once. */
  launchUrl: string;
  close(): Promise<void>;
}

/** What one local client may hold of the host, so none can exhaust its memory, sockets or disk. */
export interface WebHostLimits {
  /** Open WebSockets (one per tab). */
  maxWebSockets: number;
  /** Open TCP sockets of any kind, WebSockets included. */
  maxSockets: number;
  maxCallsInFlight: number;
  /** Bytes waiting to be sent to one WebSocket before its peer counts as not reading. */
  maxQueuedBytes: number;
  /** A request, upgrades included, must have sent all its headers by then (slow or silent sockets are cut). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  refusalLinesPerMinute: number;
}

export const defaultWebHostLimits: WebHostLimits = {
  maxWebSockets: 32,
  maxSockets: 128,
  maxCallsInFlight: defaultMaxCallsInFlight,
  maxQueuedBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  refusalLinesPerMinute: 30,
};

export const createLaunchToken = createCredential;

/**
 * The web host: the built renderer and a WebSocket carrying the IPC calls, on
 * loopback only. Refuses non-loopback peers, foreign Host and Origin headers,
 * and connections without a live credential. Whatever one client sends ends
 * at most its own connection.
 */
export async function startWebHost(options: {
  rendererDir: string;
  services: Services;
  logger: Logger;
  token: string;
  port?: number;
  limits?: Partial<WebHostLimits>;
}): Promise<WebHost> {
  const { rendererDir, services, logger } = options;
  const limits = { ...defaultWebHostLimits, ...options.limits };
  const credentials = new LaunchCredentials(options.token);
  const faults = createRefusalLog(logger, limits.refusalLinesPerMinute);
  const router = createIpcRouter({
    handlers: services.handlers,
    senderPolicy: webSenderPolicy((c) => credentials.isLive(c)),
    callerOf: (sender) => `connection-${sender.connection}`,
    logger,
  });
  const connectionContext = {
    router,
    events: services.events,
    inFlight: new InFlightLimit<WebSocket>(limits.maxCallsInFlight),
    maxQueuedBytes: limits.maxQueuedBytes,
    faults,
    logger,
  };
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxRequestBytes,
    handleProtocols: (protocols) => (protocols.has(webSocketProtocol) ? webSocketProtocol : false),
  });

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often the two timeouts above are enforced (Node's default, 30 s, would let slow sockets linger).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (request, response) => {
      const refusal = refuseNonLocal(request, port());
      if (refusal !== null) {
        faults.note('web-host.request-refused', { reason: refusal });
        response.writeHead(403).end();
        return;
      }
      serveRendererFile(rendererDir, request, response).catch((error: unknown) => {
        logger.error('web-host.static-failed', { error });
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    },
  );
  server.maxConnections = limits.maxSockets;

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const screening = screenUpgrade(request, port());
    if ('refusal' in screening) {
      faults.note('web-host.upgrade-refused', { reason: screening.refusal });
      refuseUpgrade(socket, screening.status);
      return;
    }
    if (sockets.clients.size >= limits.maxWebSockets) {
      faults.note('web-host.upgrade-refused', { reason: 'too many connections' });
      refuseUpgrade(socket, 503);
      return;
    }
    // Decided before the handshake completes, so two tabs racing with the launch token cannot both win it.
    const credential = credentials.admit(screening.credential);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (credential === null) closeRefusedConnection(ws, faults);
      else serveIpcConnection(ws, credential, connectionContext);
    });
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error handler off an upgraded socket: without this one, a peer's reset stops the process.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(request, socket, head);
    } catch (error) {
      logger.error('web-host.upgrade-failed', { error });
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (): number => (server.address() as AddressInfo).port;
  logger.info('web-host.listening', { port: port(), rendererDir });

  return {
    port: port(),
    launchUrl: `http://127.0.0.1:${port()}/#token=${options.token}`,
    async close() {
      credentials.revoke();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      faults.flush();
    },
  };
}
