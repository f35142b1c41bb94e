/**
 * Reads exact byte counts or patterns out of a stream of chunks (TCP, TLS or
 * WebSocket messages), with a deadline, so protocol tests stay short and
 * never hang.
 */
export class ByteReader {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  get closed(): boolean {
    return this.ended;
  }

  private async until<T>(take: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = take();
      if (value !== undefined) return value;
      if (this.ended) throw new Error(`stream ended while waiting for ${what}; had ${JSON.stringify(this.buffer.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; had ${JSON.stringify(this.buffer.toString('latin1'))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  read(length: number, timeoutMs = 10_000): Promise<Buffer> {
    return this.until(
      () => {
        if (this.buffer.length < length) return undefined;
        const out = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        return out;
      },
      `${length} bytes`,
      timeoutMs,
    );
  }

  /** Consumes everything up to and including the first match of `pattern` in the text read so far. */
  readUntil(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.until(
      () => {
        const text = this.buffer.toString('latin1');
        const match = pattern.exec(text);
        if (!match) return undefined;
        const end = match.index + match[0].length;
        this.buffer = this.buffer.subarray(end);
        return text.slice(0, end);
      },
      String(pattern),
      timeoutMs,
    );
  }

  /** Resolves true when the stream ends within the time, without consuming anything. */
  async waitForEnd(timeoutMs = 10_000): Promise<boolean> {
    try {
      await this.until(() => (this.ended ? true : undefined), 'the end of the stream', timeoutMs);
      return true;
    } catch {
      return this.ended;
    }
  }
}
