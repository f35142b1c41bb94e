import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

export interface FaultState {
  offlineNodes: string[];
  delayMs: number;
  /** Only requests whose API path matches are delayed / dropped; all when absent. */
  pathPattern?: string;
  /** How many of the next matching requests are dropped (socket closed without an answer); -1 = all. */
  drop: number;
}

/**
 * The lab's fault switch, for reliability tests: node offline, slow or
 * dropped answers, websockets cut. Driven by POST /api2/json/lab/faults.
 */
export class FaultSwitch extends EventEmitter<{ offline: [string]; online: [string] }> {
  private readonly offline = new Set<string>();
  private delayMs = 0;
  private pattern: RegExp | undefined;
  private dropRemaining = 0;
  private readonly sockets = new Set<Duplex>();

  isOffline(node: string): boolean {
    return this.offline.has(node);
  }

  setOffline(node: string, offline: boolean): void {
    if (offline === this.offline.has(node)) return;
    if (offline) this.offline.add(node);
    else this.offline.delete(node);
    this.emit(offline ? 'offline' : 'online', node);
  }

  configure(options: { delayMs?: number; drop?: number; pathPattern?: string | null }): void {
    if (options.delayMs !== undefined) this.delayMs = options.delayMs;
    if (options.drop !== undefined) this.dropRemaining = options.drop;
    if (options.pathPattern !== undefined) this.pattern = options.pathPattern ? new RegExp(options.pathPattern) : undefined;
  }

  clear(): void {
    for (const node of [...this.offline]) this.setOffline(node, false);
    this.delayMs = 0;
    this.dropRemaining = 0;
    this.pattern = undefined;
  }

  state(): FaultState {
    const state: FaultState = { offlineNodes: [...this.offline], delayMs: this.delayMs, drop: this.dropRemaining };
    if (this.pattern) state.pathPattern = this.pattern.source;
    return state;
  }

  private matches(path: string): boolean {
    return !this.pattern || this.pattern.test(path);
  }

  delayFor(path: string): number {
    return this.matches(path) ? this.delayMs : 0;
  }

  /** True when this request must be dropped; counts it down. The fault endpoint itself is never dropped. */
  shouldDrop(path: string): boolean {
    if (path.startsWith('/lab/') || this.dropRemaining === 0 || !this.matches(path)) return false;
    if (this.dropRemaining > 0) this.dropRemaining--;
    return true;
  }

  trackWebSocket(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  closeWebSockets(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    return count;
  }
}
