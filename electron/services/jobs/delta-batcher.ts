/** At most one `jobs.changed` event per this many milliseconds. */
export const deltaIntervalMs = 250;

/**
 * Collects which jobs changed and sends one delta per interval with each
 * job's latest state, so a thousand updates in a burst are one event and a
 * job updated a hundred times in it appears once.
 */
export class DeltaBatcher {
  private readonly changed = new Set<string>();
  private readonly removed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  /** `flush` runs once per interval with changes pending; it calls `take()`. */
  constructor(private readonly flush: () => void) {}

  upserted(id: string): void {
    this.removed.delete(id);
    this.changed.add(id);
    this.schedule();
  }

  gone(id: string): void {
    this.changed.delete(id);
    this.removed.add(id);
    this.schedule();
  }

  /** Takes the pending ids; the caller resolves them to views at send time, so the event carries the latest state. */
  take(): { changed: string[]; removed: string[] } {
    const taken = { changed: [...this.changed], removed: [...this.removed] };
    this.changed.clear();
    this.removed.clear();
    return taken;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, deltaIntervalMs);
    this.timer.unref();
  }
}
