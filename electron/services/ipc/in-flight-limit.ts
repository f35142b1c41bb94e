import { IpcError, type IpcEnvelope } from '../../../shared/ipc/errors';

/** Calls one window may have running at once in either host: far above what the UI does, far below a flood. */
export const defaultMaxCallsInFlight = 32;

/**
 * Caps the calls one sender (a WebSocket, an Electron window) has running at
 * once. A call over the cap is answered at once with BUSY instead of waiting
 * in a queue, so a flood of calls costs the host no memory.
 */
export class InFlightLimit<Key> {
  private readonly running = new Map<Key, number>();

  constructor(private readonly maxPerSender: number) {}

  async run(key: Key, call: () => Promise<IpcEnvelope>): Promise<IpcEnvelope> {
    const count = this.running.get(key) ?? 0;
    if (count >= this.maxPerSender) {
      const busy = new IpcError('BUSY', {
        en: `${this.maxPerSender} operations are already running for this window; wait for one to finish, then try again.`,
        fr: `${this.maxPerSender} opérations sont déjà en cours pour cette fenêtre ; attendez que l’une d’elles se termine, puis réessayez.`,
      });
      return { ok: false, error: busy.toPayload() };
    }
    this.running.set(key, count + 1);
    try {
      return await call();
    } finally {
      const left = (this.running.get(key) ?? 1) - 1;
      if (left === 0) this.running.delete(key);
      else this.running.set(key, left);
    }
  }
}
