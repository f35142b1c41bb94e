export interface FrameBatcherOptions {
  /** Sends one frame; `written` runs once its bytes are handed to the viewer's socket and the buffer may be reused. */
  send(frame: Buffer, written: () => void): void;
  /** The size of each reused buffer, the largest frame sent. */
  frameBytes: number;
  /** How many buffers: `frames × frameBytes` bounds what waits for the viewer. */
  frames: number;
  /** Stop reading the upstream: every buffer is being written. */
  pause(): void;
  /** A buffer is free again. */
  resume(): void;
}

/**
 * Gathers upstream chunks into a few reused buffers, each sent as one frame: what arrives within one turn of the
 * event loop leaves as one frame, so a burst costs the viewer a few large messages instead of one per read (a TLS
 * upstream hands over 16 KiB records, a socket 64 KiB reads), and the relay allocates nothing per frame. Nothing
 * waits for a timer: the frame goes once the turn's reads are in, or as soon as its buffer is full. When every
 * buffer is being written the upstream is paused, which bounds what waits in memory for a slow viewer.
 */
export class FrameBatcher {
  private readonly free: Buffer[];
  private current: Buffer | undefined;
  private used = 0;
  private flushing: NodeJS.Immediate | undefined;
  private paused = false;
  private closed = false;

  constructor(private readonly options: FrameBatcherOptions) {
    this.free = Array.from({ length: Math.max(1, options.frames) }, () => Buffer.allocUnsafe(options.frameBytes));
  }

  push(chunk: Buffer): void {
    if (this.closed) return;
    let offset = 0;
    while (offset < chunk.length) {
      this.current ??= this.free.pop();
      if (this.current === undefined) {
        // Every buffer is on its way: the rest of this chunk (the upstream's own buffer, never reused) goes as it is.
        this.options.send(chunk.subarray(offset), () => undefined);
        break;
      }
      const copied = chunk.copy(this.current, this.used, offset);
      this.used += copied;
      offset += copied;
      if (this.used === this.current.length) this.flush();
    }
    if (this.current !== undefined) this.flushing ??= setImmediate(() => this.flush());
    if (this.free.length === 0 && !this.paused) {
      this.paused = true;
      this.options.pause();
    }
  }

  /** Sends what was gathered. */
  flush(): void {
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.flushing = undefined;
    const buffer = this.current;
    if (buffer === undefined || this.closed) return;
    const frame = buffer.subarray(0, this.used);
    this.current = undefined;
    this.used = 0;
    this.options.send(frame, () => this.release(buffer));
  }

  /** Drops what was not sent; frames already sent finish on their own. */
  close(): void {
    this.closed = true;
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.flushing = undefined;
  }

  private release(buffer: Buffer): void {
    this.free.push(buffer);
    if (this.paused && !this.closed) {
      this.paused = false;
      this.options.resume();
    }
  }
}
