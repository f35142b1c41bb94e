import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { webSocketPath, webSocketProtocol, webTokenProtocolPrefix } from '../../shared/ipc/web-protocol';
import { refuseNonLocal } from './loopback';
import { requestPath } from './request-target';

export type UpgradeScreening = { refusal: string; status: number } | { credential: string };

function offeredProtocols(header: string | undefined): string[] {
  return (header ?? '').split(',').map((p) => p.trim());
}

/**
 * Checks an upgrade request before the handshake: loopback peer, our Host
 * and Origin, our path and subprotocol. Gives the credential it presents;
 * whether that credential opens anything is decided after the handshake, so
 * the page can be told (a browser cannot read a refused handshake's status).
 */
export function screenUpgrade(request: IncomingMessage, port: number): UpgradeScreening {
  const local = refuseNonLocal(request, port);
  if (local !== null) return { refusal: local, status: 403 };
  if (requestPath(request.url) !== webSocketPath) return { refusal: 'unknown path', status: 404 };
  if (request.headers.origin !== `http://${request.headers.host ?? ''}`) return { refusal: 'foreign Origin', status: 403 };
  const offered = offeredProtocols(request.headers['sec-websocket-protocol']);
  if (!offered.includes(webSocketProtocol)) return { refusal: 'missing subprotocol', status: 403 };
  const credential = offered.find((p) => p.startsWith(webTokenProtocolPrefix))?.slice(webTokenProtocolPrefix.length) ?? '';
  return { credential };
}

/**
 * Answers a refused upgrade and destroys the socket once the answer is out:
 * ending alone would leave a half-open socket the peer could keep.
 */
export function refuseUpgrade(socket: Duplex, status: number): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
