import { createServer, type Server } from 'node:http';
import { WebSocket } from 'ws';
import type { ConsoleGateway } from '../../contracts';
import { ByteReader } from './byte-reader';

/**
 * Stands in for the lab's HTTPS API server in the gateway tests: it routes
 * `.../vncwebsocket?port=&vncticket=` upgrades to the gateway as the API does
 * after its own authentication (tested in lab/api).
 */
export async function startUpgradeServer(gateway: ConsoleGateway): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    gateway.handleVncWebSocket(request, socket, head, Number(url.searchParams.get('port')), url.searchParams.get('vncticket') ?? '', 'pve1');
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `ws://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OpenedWebSocket {
  ws: WebSocket;
  reader: ByteReader;
  protocol: string;
}

/** Opens the vncwebsocket URL like noVNC/xterm.js do (subprotocol `binary`); rejects with the HTTP status on refusal. */
export function openConsoleWebSocket(base: string, vmPath: string, port: number, ticket: string): Promise<OpenedWebSocket> {
  const url = `${base}/api2/json${vmPath}/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['binary']);
    const reader = new ByteReader();
    ws.on('message', (data: Buffer) => reader.push(data));
    ws.on('close', () => reader.end());
    ws.once('open', () => resolve({ ws, reader, protocol: ws.protocol }));
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
