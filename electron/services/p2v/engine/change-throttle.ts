/**
 * Runs an action at most once per `intervalMs` for non-urgent calls (progress), always with the latest state, and
 * at once for urgent ones (a step's start or end), which also drop a pending trailing call.
 */
export class ChangeThrottle {
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly action: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  changed(urgent: boolean): void {
    const wait = this.last + this.intervalMs - this.now();
    if (urgent || wait <= 0) {
      this.fire();
      return;
    }
    this.timer ??= setTimeout(() => this.fire(), wait);
  }

  /** Runs a pending trailing call now (before the state is read elsewhere) and stops the timer. */
  flush(): void {
    if (this.timer !== undefined) this.fire();
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.last = this.now();
    this.action();
  }
}
