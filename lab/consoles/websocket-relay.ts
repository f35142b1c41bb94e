import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptKey, ClientFrameReader, encodeFrame, MAX_FRAME_PAYLOAD, pongFrame } from './websocket-frames';

/**
 * pveproxy's write buffer toward the console's listener (AnyEvent::Handle `wbuf_max`, 5 × the frame limit): it reads
 * client frames without waiting for the listener, and drops the connection once more than this waits to be written.
 */
export const MAX_UPSTREAM_BACKLOG = 5 * MAX_FRAME_PAYLOAD;

/**
 * The vncwebsocket half of a console, as pveproxy's `websocket_proxy` runs
 * it: connects to the proxy listener's TCP port first, then completes the
 * WebSocket handshake, answering the `Sec-WebSocket-Protocol` header exactly
 * as the client sent it (PVE echoes the whole offer: one subprotocol,
 * `binary` as noVNC and xterm.js send, is the only offer a strict client
 * accepts back), and relays bytes. A client frame pveproxy refuses
 * (fragmented, over 128 KiB, unmasked…) drops the connection, and so does a
 * backlog toward the listener over `MAX_UPSTREAM_BACKLOG`: pveproxy applies
 * no back-pressure to the client. VNC and termproxy both go through here; the
 * listener decides what the bytes mean.
 */
export class WebSocketRelay {
  private readonly open = new Set<Duplex>();

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
      const offered = request.headers['sec-websocket-protocol'];
      const protocol = offered === undefined || offered === '' ? '' : `Sec-WebSocket-Protocol: ${offered}\r\n`;
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n${protocol}\r\n`,
      );
      const reader = new ClientFrameReader({
        data: (payload) => {
          tcp.write(payload);
          if (tcp.writableLength > MAX_UPSTREAM_BACKLOG) finish();
        },
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

/** Writes to `to`, pausing `from` until `to` drains: a slow viewer slows QEMU instead of making the lab buffer without end. */
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
