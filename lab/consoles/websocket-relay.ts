import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptKey, ClientFrameReader, encodeFrame, MAX_FRAME_PAYLOAD, pongFrame } from './websocket-frames';

/**
 * The vncwebsocket half of a console, as pveproxy's `websocket_proxy` runs
 * it: connects to the proxy listener's TCP port first, then completes the
 * WebSocket handshake with the `binary` subprotocol (what noVNC and PVE's
 * xterm.js client ask for) and relays bytes. A client frame pveproxy refuses
 * (fragmented, over 128 KiB, unmasked…) drops the connection. VNC and
 * termproxy both go through here; the listener decides what the bytes mean.
 */
export class WebSocketRelay {
  private readonly open = new Set<Duplex>();

  /** True when the upgrade request offers the `binary` subprotocol, the only one served. */
  static offersBinary(request: IncomingMessage): boolean {
    const header = request.headers['sec-websocket-protocol'];
    return (header ?? '').split(',').some((protocol) => protocol.trim() === 'binary');
  }

  relay(request: IncomingMessage, socket: Duplex, head: Buffer, port: number, onClose: () => void): void {
    const key = request.headers['sec-websocket-key'];
    if (request.headers['sec-websocket-version'] !== '13' || typeof key !== 'string' || key === '') {
      refuseUpgrade(socket, 400, 'unsupported websocket-version or missing websocket-key');
      return;
    }
    this.open.add(socket);
    const tcp = connect({ host: '127.0.0.1', port });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.open.delete(socket);
      socket.destroy();
      tcp.destroy();
      onClose();
    };
    for (const stream of [socket, tcp]) stream.on('error', finish).on('close', finish);
    tcp.once('connect', () => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\nSec-WebSocket-Protocol: binary\r\n\r\n`,
      );
      const reader = new ClientFrameReader({
        data: (payload) => forward(tcp, payload, socket),
        ping: (payload) => socket.write(pongFrame(payload)),
        close: finish,
      });
      const read = (chunk: Buffer): void => {
        try {
          reader.push(chunk);
        } catch {
          finish();
        }
      };
      socket.on('data', read);
      if (head.length > 0) read(head);
      tcp.on('data', (chunk: Buffer) => {
        for (let at = 0; at < chunk.length; at += MAX_FRAME_PAYLOAD) forward(socket, encodeFrame(chunk.subarray(at, at + MAX_FRAME_PAYLOAD)), tcp);
      });
    });
  }

  close(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }
}

/** Writes to `to`, pausing `from` until `to` drains: a slow reader must not make the lab buffer without end. */
function forward(to: Duplex | Socket, bytes: Buffer, from: Duplex | Socket): void {
  if (!to.write(bytes) && !from.isPaused()) {
    from.pause();
    to.once('drain', () => from.resume());
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
