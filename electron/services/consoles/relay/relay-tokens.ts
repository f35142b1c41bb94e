import { randomBytes } from 'node:crypto';
import type { RelayEntry } from './relay-entry';
import type { WindowKeys } from './window-keys';

/** Why a connection was refused; what the log says, never the token itself. */
export type TokenRefusal = 'unknown token' | 'token already used' | 'token expired' | 'no proof of the window it was issued to';

export type Admission = { admitted: true; entry: RelayEntry; first: boolean } | { admitted: false; refusal: TokenRefusal };

interface IssuedToken {
  entry: RelayEntry;
  expiresAt: number;
  spent: boolean;
  timer: NodeJS.Timeout;
}

/** 32 random bytes, hex: the last path segment of a relay URL. */
export const tokenPattern = /^[0-9a-f]{64}$/;

/**
 * The relay's tokens: each opens one entry, once, within its lifetime, and only for the window it was issued to.
 * A token whose entry admits more connections (SPICE channels) keeps admitting them, with the same proof, while the
 * entry says so. Tokens that ended are remembered for one more lifetime, so the log tells a reuse from a guess.
 */
export class RelayTokens {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly ended = new Map<string, { refusal: TokenRefusal; until: number }>();

  constructor(
    private readonly windows: WindowKeys,
    private readonly options: { lifetimeMs: number; now: () => number },
  ) {}

  issue(entry: RelayEntry): string {
    this.sweep();
    const token = randomBytes(32).toString('hex');
    const timer = setTimeout(() => this.expire(token), this.options.lifetimeMs);
    timer.unref();
    this.tokens.set(token, { entry, expiresAt: this.options.now() + this.options.lifetimeMs, spent: false, timer });
    return token;
  }

  /** Decides a connection: the window's proof first (another window cannot burn a token), then use and time. */
  admit(token: string, offeredProtocols: Iterable<string>): Admission {
    this.sweep();
    const issued = this.tokens.get(token);
    if (issued === undefined) return { admitted: false, refusal: this.ended.get(token)?.refusal ?? 'unknown token' };
    if (!this.windows.proves(issued.entry.caller, offeredProtocols)) return { admitted: false, refusal: 'no proof of the window it was issued to' };
    if (!issued.spent) {
      issued.spent = true;
      return { admitted: true, entry: issued.entry, first: true };
    }
    return issued.entry.admitsMore?.() === true ? { admitted: true, entry: issued.entry, first: false } : { admitted: false, refusal: 'token already used' };
  }

  /** The service closes: every unused entry releases what it prepared. */
  clear(): void {
    for (const issued of this.tokens.values()) {
      clearTimeout(issued.timer);
      if (!issued.spent) issued.entry.discard?.();
    }
    this.tokens.clear();
    this.ended.clear();
  }

  /** Lifetime over: an unused entry is discarded; a spent one is kept only while it admits more connections. */
  private expire(token: string): void {
    const issued = this.tokens.get(token);
    if (issued === undefined || (issued.spent && issued.entry.admitsMore?.() === true)) return;
    this.tokens.delete(token);
    clearTimeout(issued.timer);
    if (!issued.spent) issued.entry.discard?.();
    this.ended.set(token, { refusal: issued.spent ? 'token already used' : 'token expired', until: this.options.now() + this.options.lifetimeMs });
  }

  private sweep(): void {
    const now = this.options.now();
    for (const [token, issued] of this.tokens) if (now >= issued.expiresAt) this.expire(token);
    for (const [token, ended] of this.ended) if (now >= ended.until) this.ended.delete(token);
  }
}
