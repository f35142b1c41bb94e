import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IpcEnvelope } from '../../shared/ipc/errors';
import {
  webRequestSchema,
  webSocketPath,
  webSocketProtocol,
  webTokenProtocolPrefix,
  type WebServerMessage,
} from '../../shared/ipc/web-protocol';
import type { Services } from '../services/create-services';
import { createIpcRouter } from '../services/ipc/router';
import { webSenderPolicy, type WebSender } from '../services/ipc/sender-policies';
import type { Logger } from '../services/log/logger';
import { refuseNonLocal } from './loopback';
import { serveRendererFile } from './static-files';

export interface WebHost {
  port: number;
  /** The address to open, with the launch token in the fragment (never sent to the server, never logged). */
  launchUrl: string;
  close(): Promise<void>;
}

const maxMessageBytes = 1024 * 1024;

export function createLaunchToken(): string {
  return randomBytes(32).toString('hex');
}

function tokenFromProtocols(header: string | undefined): { hasAppProtocol: boolean; token: string } {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  const tokenEntry = offered.find((p) => p.startsWith(webTokenProtocolPrefix));
  return {
    hasAppProtocol: offered.includes(webSocketProtocol),
    token: tokenEntry?.slice(webTokenProtocolPrefix.length) ?? '',
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The web host: the built renderer and a WebSocket carrying the IPC calls, on
 * loopback only. Refuses non-loopback peers, foreign Host and Origin headers,
 * and connections without this launch's token.
 */
export async function startWebHost(options: {
  rendererDir: string;
  services: Services;
  logger: Logger;
  token: string;
  port?: number;
}): Promise<WebHost> {
  const { rendererDir, services, logger, token } = options;
  const senderPolicy = webSenderPolicy(token);
  const router = createIpcRouter({ handlers: services.handlers, senderPolicy, logger });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(webSocketProtocol) ? webSocketProtocol : false),
  });

  const server = createServer((request, response) => {
    const refusal = refuseNonLocal(request, port());
    if (refusal !== null) {
      logger.warn('web-host.request-refused', { reason: refusal });
      response.writeHead(403).end();
      return;
    }
    serveRendererFile(rendererDir, request, response).catch((error: unknown) => {
      logger.error('web-host.static-failed', { error });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseNonLocal(request, port());
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    const expectedOrigin = `http://${request.headers.host ?? ''}`;
    const { hasAppProtocol, token: presented } = tokenFromProtocols(request.headers['sec-websocket-protocol']);
    const reason =
      refusal ??
      (path !== webSocketPath ? 'unknown path' : null) ??
      (request.headers.origin !== expectedOrigin ? 'foreign Origin' : null) ??
      (!hasAppProtocol ? 'missing subprotocol' : null) ??
      (senderPolicy({ token: presented }) !== null ? 'wrong or missing token' : null);
    if (reason !== null) {
      logger.warn('web-host.upgrade-refused', { reason });
      refuseUpgrade(socket, reason === 'wrong or missing token' ? 401 : 403, 'Forbidden');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveConnection(ws, { token: presented }));
  });

  function serveConnection(ws: WebSocket, sender: WebSender): void {
    const send = (message: WebServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const detach = services.events.attach((event, payload) => send({ kind: 'event', event, payload }));
    ws.on('close', detach);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      let request;
      try {
        request = webRequestSchema.parse(JSON.parse(data.toString()));
      } catch {
        ws.close(1007, 'malformed request');
        return;
      }
      void router.handle(sender, request.method, request.input).then((envelope: IpcEnvelope) =>
        send({ kind: 'response', id: request.id, envelope }),
      );
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (): number => (server.address() as AddressInfo).port;
  logger.info('web-host.listening', { port: port(), rendererDir });

  return {
    port: port(),
    launchUrl: `http://127.0.0.1:${port()}/#token=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
