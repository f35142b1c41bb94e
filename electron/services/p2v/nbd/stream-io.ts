import type { Duplex } from 'node:stream';

/** The peer went away, or broke the protocol so the connection had to end. */
export class ConnectionEnded extends Error {}

/**
 * Exact-length reads from a stream in paused mode: Node then stops reading
 * from the socket once its buffer holds a high-water mark, so a client that
 * floods requests is held back by TCP (or SSH channel) flow control instead
 * of filling this process's memory.
 */
export class StreamReader {
  private ended = false;
  private waiting: (() => void) | undefined;

  constructor(private readonly stream: Duplex) {
    // One listener for the reader's life: adding a 'readable' listener while bytes are buffered fires it at once,
    // and a short message would then spin on it without ever letting the socket deliver more.
    const wake = () => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.();
    };
    const end = () => {
      this.ended = true;
      wake();
    };
    stream.on('readable', wake);
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  }

  async read(length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    for (;;) {
      const chunk = this.stream.read(length) as Buffer | null;
      if (chunk !== null) {
        // At the end of the stream read() hands over what is left, even when it is short.
        if (chunk.length < length) throw new ConnectionEnded('the client closed the connection in the middle of a message');
        return chunk;
      }
      if (this.ended || this.stream.readableEnded || this.stream.destroyed) throw new ConnectionEnded('the client closed the connection');
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** Reads and drops `length` bytes (a refused write's payload) one bounded piece at a time. */
  async skip(length: number): Promise<void> {
    for (let left = length; left > 0;) {
      const piece = Math.min(left, 64 * 1024);
      await this.read(piece);
      left -= piece;
    }
  }
}

/**
 * Writes and waits until the stream took it below its high-water mark: a slow reader slows the server down.
 * `written` runs once the stream is done with `data` (written out, or failed), so its buffer may be reused.
 */
export async function send(stream: Duplex, data: Buffer, written?: () => void): Promise<void> {
  if (stream.destroyed || stream.writableEnded) throw new ConnectionEnded('the client closed the connection');
  if (stream.write(data, written === undefined ? undefined : () => written())) return;
  await whenAny(stream, ['drain', 'close', 'error']);
  if (stream.destroyed) throw new ConnectionEnded('the client closed the connection');
}

function whenAny(stream: Duplex, events: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of events) stream.off(event, done);
      resolve();
    };
    for (const event of events) stream.on(event, done);
  });
}
