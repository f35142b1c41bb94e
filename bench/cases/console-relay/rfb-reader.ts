import { WebSocket, type RawData } from 'ws';

/**
 * Reads a WebSocket's binary messages as one byte stream, `length` bytes at a time: RFB messages do not follow the
 * frame boundaries of the bridges (the relay, pveproxy) they cross.
 */
export class StreamReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiting: { length: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(socket: WebSocket) {
    socket.on('message', (data: RawData) => this.push(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)));
    socket.once('close', (code: number, reason: Buffer) => this.fail(new Error(`the socket closed (${code} ${reason.toString()})`)));
    socket.once('error', (error: Error) => this.fail(error));
  }

  read(length: number): Promise<Buffer> {
    if (this.buffered >= length) return Promise.resolve(this.take(length));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { length, resolve, reject }));
  }

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const waiting = this.waiting;
    if (waiting && this.buffered >= waiting.length) {
      this.waiting = undefined;
      waiting.resolve(this.take(waiting.length));
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  private take(length: number): Buffer {
    const joined = this.chunks.length === 1 ? (this.chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(this.chunks);
    const taken = joined.subarray(0, length);
    const rest = joined.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}
