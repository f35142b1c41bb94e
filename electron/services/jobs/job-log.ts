export interface JobLogLimits {
  maxLines: number;
  maxBytes: number;
}

export const defaultJobLogLimits: JobLogLimits = { maxLines: 5000, maxBytes: 1024 * 1024 };

/** A longer line is cut: one runaway line must not evict the whole log. */
const maxLineLength = 4096;

/**
 * A job's log as a ring: line numbers keep counting from the first line ever
 * written, so a reader that polls with `from = next` only gets new lines, and
 * once the cap on lines or bytes is reached the oldest lines go, replaced in
 * reads by one line saying how many went.
 */
export class JobLog {
  private lines: string[] = [];
  private head = 0;
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly limits: JobLogLimits = defaultJobLogLimits) {}

  /** The number of the next line written (0-based), i.e. how many lines were ever written. */
  get length(): number {
    return this.dropped + this.lines.length - this.head;
  }

  append(line: string): void {
    const kept = line.length > maxLineLength ? `${line.slice(0, maxLineLength)}…` : line;
    this.lines.push(kept);
    this.bytes += Buffer.byteLength(kept);
    while (this.lines.length - this.head > this.limits.maxLines || (this.bytes > this.limits.maxBytes && this.lines.length - this.head > 1)) {
      this.bytes -= Buffer.byteLength(this.lines[this.head] ?? '');
      this.head += 1;
      this.dropped += 1;
    }
    // Compacts now and then rather than shifting on every line.
    if (this.head > this.limits.maxLines) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  /** Lines `from`… (at most `limit`); a reader behind the dropped lines gets one marker line for them first. */
  read(from: number, limit: number): { from: number; lines: string[]; next: number } {
    const out: string[] = [];
    let position = from;
    if (position < this.dropped) {
      out.push(`[${this.dropped - position} earlier lines dropped: the log keeps the last ${this.limits.maxLines} lines]`);
      position = this.dropped;
    }
    const start = this.head + (position - this.dropped);
    const taken = this.lines.slice(start, start + Math.max(0, limit - out.length));
    out.push(...taken);
    return { from, lines: out, next: position + taken.length };
  }
}
