import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret of 32 random bytes, hex-encoded (fits a WebSocket subprotocol). */
export function createCredential(): string {
  return randomBytes(32).toString('hex');
}

function sameSecret(presented: string, expected: Buffer): boolean {
  const candidate = Buffer.from(presented, 'utf8');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/**
 * The launch token opens one tab, once: the first connection that presents
 * it gets a session credential in exchange and the token is spent, so the
 * launch URL left in a browser's history or a screenshot opens nothing. The
 * tab keeps the session credential (sessionStorage) to reconnect and reload;
 * it dies with the host.
 */
export class LaunchCredentials {
  private launchToken: Buffer | null;
  private session: Buffer | null = null;

  constructor(launchToken: string) {
    this.launchToken = Buffer.from(launchToken, 'utf8');
  }

  /** The session credential the connection goes on with, or null when what it presented opens nothing. */
  admit(presented: string): string | null {
    if (this.launchToken !== null && sameSecret(presented, this.launchToken)) {
      this.launchToken = null;
      const credential = createCredential();
      this.session = Buffer.from(credential, 'utf8');
      return credential;
    }
    return this.isLive(presented) ? presented : null;
  }

  isLive(credential: string): boolean {
    return this.session !== null && sameSecret(credential, this.session);
  }

  revoke(): void {
    this.launchToken = null;
    this.session = null;
  }
}
