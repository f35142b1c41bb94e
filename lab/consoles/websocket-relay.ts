import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { joinStreams } from './join-streams';

/**
 * The vncwebsocket half of a console: completes the WebSocket handshake with
 * the `binary` subprotocol (what noVNC and PVE's xterm.js client ask for) and
 * relays frames to the proxy listener's TCP port, as pveproxy does. VNC and
 * termproxy both go through here; the listener decides what the bytes mean.
 */
export class WebSocketRelay {
  private readonly server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });
  private readonly open = new Set<WebSocket>();

  /** True when the upgrade request offers the `binary` subprotocol, the only one served. */
  static offersBinary(request: IncomingMessage): boolean {
    const header = request.headers['sec-websocket-protocol'];
    return (header ?? '').split(',').some((protocol) => protocol.trim() === 'binary');
  }

  relay(request: IncomingMessage, socket: Duplex, head: Buffer, port: number, onClose: () => void): void {
    this.server.handleUpgrade(request, socket, head, (ws) => {
      this.open.add(ws);
      const tcp = connect({ host: '127.0.0.1', port });
      joinStreams(createWebSocketStream(ws), tcp, () => {
        this.open.delete(ws);
        onClose();
      });
    });
  }

  close(): void {
    for (const ws of this.open) ws.terminate();
    this.open.clear();
    this.server.close();
  }
}

/** Answers an upgrade request with an HTTP error shaped like PVE's (message as reason phrase and in the body) and drops the socket. */
export function refuseUpgrade(socket: Duplex, status: 400 | 401, message: string): void {
  const body = JSON.stringify({ data: null, message: `${message}\n` });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  setTimeout(() => socket.destroy(), 500).unref();
}
