import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';

/**
 * Bytes arriving in chunks, read back in exact sizes: the handshakes (RFB, termproxy's `OK`) the relay speaks before
 * it only pumps. One read at a time; what is left once the handshake is done goes on with the pump.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiting: { size: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.settle();
  }

  /** No more bytes will come: a pending and every later read fails with `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    this.settle();
  }

  read(size: number): Promise<Buffer> {
    if (this.waiting !== undefined) return Promise.reject(new Error('ByteQueue: one read at a time.'));
    return new Promise((resolve, reject) => {
      this.waiting = { size, resolve, reject };
      this.settle();
    });
  }

  /** Takes whatever arrived and was not read. */
  rest(): Buffer {
    const rest = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = [];
    this.length = 0;
    return rest;
  }

  private settle(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    if (this.length >= waiting.size) {
      this.waiting = undefined;
      const all = this.rest();
      if (all.length > waiting.size) this.push(all.subarray(waiting.size));
      waiting.resolve(all.subarray(0, waiting.size));
    } else if (this.failure !== undefined) {
      this.waiting = undefined;
      waiting.reject(this.failure);
    }
  }
}

/** A handshake's view of one side: its bytes as a queue, and how to let go of it once the handshake is done. */
export interface HandshakeSide {
  bytes: ByteQueue;
  /** Stops queueing; answers what arrived and was not read. */
  release(): Buffer;
}

/** Queues a stream's bytes; its end or error fails the reads. */
export function queueStream(stream: Duplex, closedError: () => Error): HandshakeSide {
  const bytes = new ByteQueue();
  const onData = (chunk: Buffer): void => bytes.push(chunk);
  const onEnd = (): void => bytes.fail(closedError());
  stream.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onEnd);
  return {
    bytes,
    release() {
      stream.pause();
      stream.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onEnd);
      return bytes.rest();
    },
  };
}

/** Queues a WebSocket's binary messages; a text message, its close or error fails the reads. */
export function queueWebSocket(socket: WebSocket, closedError: () => Error, textError: () => Error): HandshakeSide {
  const bytes = new ByteQueue();
  const onMessage = (data: RawData, isBinary: boolean): void => {
    if (isBinary) bytes.push(data as Buffer);
    else bytes.fail(textError());
  };
  const onClose = (): void => bytes.fail(closedError());
  socket.on('message', onMessage).on('close', onClose).on('error', onClose);
  return {
    bytes,
    release() {
      socket.off('message', onMessage).off('close', onClose).off('error', onClose);
      return bytes.rest();
    },
  };
}
