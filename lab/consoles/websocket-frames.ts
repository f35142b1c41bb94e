import { createHash } from 'node:crypto';

/** pveproxy's limit on one client frame's payload (pve-http-server AnyEvent.pm `websocket_proxy`); also the largest frame it sends. */
export const MAX_FRAME_PAYLOAD = 128 * 1024;

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** A client frame pveproxy refuses: it drops the connection, no close frame. */
export class WebSocketFrameError extends Error {}

export interface ClientFrameHandlers {
  data(payload: Buffer): void;
  ping(payload: Buffer): void;
  close(): void;
}

/** RFC 6455's Sec-WebSocket-Accept for a client's key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** One unmasked server frame (binary unless told), as pveproxy writes them. */
export function encodeFrame(payload: Buffer, opcode = OPCODE_BINARY): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length <= 125) header = Buffer.from([0x80 | opcode, length]);
  else if (length <= 0xffff) {
    header = Buffer.from([0x80 | opcode, 126, 0, 0]);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.from([0x80 | opcode, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/**
 * Reads client frames with pveproxy's rules: every frame final (no
 * fragmentation), no RSV bits, masked, at most 128 KiB of payload; text and
 * binary are data, ping is answered, close ends; anything else is an error.
 */
export class ClientFrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly handlers: ClientFrameHandlers) {}

  /** Throws WebSocketFrameError on a frame pveproxy would drop the connection for. */
  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (let frame = this.nextFrame(); frame; frame = this.nextFrame()) this.dispatch(frame.opcode, frame.payload);
  }

  private nextFrame(): { opcode: number; payload: Buffer } | undefined {
    const buffer = this.buffer;
    if (buffer.length < 2) return undefined;
    const first = buffer[0] ?? 0;
    const second = buffer[1] ?? 0;
    if ((first & 0x80) === 0) throw new WebSocketFrameError('received fragmented websocket frame');
    if ((first & 0x70) !== 0) throw new WebSocketFrameError('received websocket frame with RSV flags');
    if ((second & 0x80) === 0) throw new WebSocketFrameError('received unmasked websocket frame from client');
    let offset = 2;
    let length = second & 0x7f;
    if (length === 126) {
      if (buffer.length < 4) return undefined;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return undefined;
      const long = buffer.readBigUInt64BE(2);
      if (long > BigInt(MAX_FRAME_PAYLOAD)) throw new WebSocketFrameError(`received too large websocket frame (len = ${long})`);
      length = Number(long);
      offset = 10;
    }
    if (length > MAX_FRAME_PAYLOAD) throw new WebSocketFrameError(`received too large websocket frame (len = ${length})`);
    if (buffer.length < offset + 4 + length) return undefined;
    const mask = buffer.subarray(offset, offset + 4);
    const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    this.buffer = buffer.subarray(offset + 4 + length);
    return { opcode: first & 0x0f, payload };
  }

  private dispatch(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) this.handlers.data(payload);
    else if (opcode === OPCODE_CLOSE) this.handlers.close();
    else if (opcode === OPCODE_PING) this.handlers.ping(payload);
    else if (opcode !== OPCODE_PONG) throw new WebSocketFrameError(`received unhandled websocket opcode ${opcode}`);
  }
}

/** The pong pveproxy answers a ping with. */
export function pongFrame(payload: Buffer): Buffer {
  return encodeFrame(payload, OPCODE_PONG);
}
