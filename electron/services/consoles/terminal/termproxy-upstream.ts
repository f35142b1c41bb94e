import { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { queueWebSocket } from '../relay/byte-queue';
import { ConsoleRelayError } from '../relay/close-viewer';
import type { TerminalUpstream } from './terminal-upstream';

/** pve-xtermjs pings every 30 s; termproxy ends a session that stays silent longer. */
const pingIntervalMs = 30_000;
const accepted = Buffer.from('OK', 'latin1');

/** termproxy's client framing: input `0:<byte length>:<bytes>`, resize `1:<cols>:<rows>:`, ping `2`. */
export function termproxyInputFrame(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`0:${data.length}:`, 'latin1'), data]);
}

export function termproxyResizeFrame(cols: number, rows: number): Buffer {
  return Buffer.from(`1:${cols}:${rows}:`, 'latin1');
}

export const termproxyPingFrame = Buffer.from('2', 'latin1');

/**
 * A termproxy session as a byte stream: what the terminal prints comes out raw, what is written goes in as
 * termproxy input frames (lengths in bytes, whatever the characters), with the 30 s keep-alive ping.
 */
class TermproxyStream extends Duplex {
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly socket: WebSocket) {
    super();
    socket.on('message', (data: RawData) => {
      if (!this.push(data as Buffer)) socket.pause();
    });
    socket.once('close', () => {
      this.push(null);
      this.destroy();
    });
    socket.on('error', () => this.destroy());
    this.ping = setInterval(() => socket.send(termproxyPingFrame), pingIntervalMs);
    this.ping.unref();
  }

  resize(cols: number, rows: number): void {
    this.socket.send(termproxyResizeFrame(cols, rows));
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.send(termproxyInputFrame(chunk), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.ping);
    this.socket.terminate();
    callback(error);
  }
}

/**
 * Logs in to a termproxy session through its open vncwebsocket: sends `<user>:<ticket>\n`, expects `OK`, and answers
 * the terminal. Whatever followed `OK` in the same frame is the terminal's first output.
 */
export async function startTermproxy(socket: WebSocket, login: { user: string; ticket: string }): Promise<TerminalUpstream> {
  const answer = queueWebSocket(
    socket,
    () => new ConsoleRelayError('authFailed', 'termproxy refused the console ticket.'),
    () => new ConsoleRelayError('protocolError', 'termproxy answered a text frame.'),
  );
  socket.send(Buffer.from(`${login.user}:${login.ticket}\n`, 'utf8'));
  let first: Buffer;
  try {
    first = await answer.bytes.read(accepted.length);
  } finally {
    // Paused until the stream below takes over, so no frame slips between the two listeners.
    socket.pause();
  }
  const rest = answer.release();
  if (!first.equals(accepted)) throw new ConsoleRelayError('authFailed', 'termproxy did not accept the console ticket.');
  const stream = new TermproxyStream(socket);
  if (rest.length > 0) stream.push(rest);
  return { stream, resize: (cols, rows) => stream.resize(cols, rows) };
}
