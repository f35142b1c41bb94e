import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The subprotocol prefix of a window's proof; the key after it is hex, a valid subprotocol token. */
export const windowProofPrefix = 'pvedesk-window.';
const keyBytes = 16;
const proofKeyPattern = new RegExp(`^[0-9a-f]{${keyBytes * 2}}$`);

/**
 * One random key per calling window: relay URLs are bound to the window that asked for them, which proves itself by
 * offering `pvedesk-window.<key>` as a WebSocket subprotocol. A URL seen by another window (or copied into a
 * browser) is worthless without that window's key.
 */
export class WindowKeys {
  private readonly keys = new Map<string, Buffer>();

  /** The subprotocol a window offers to prove it is `caller`; the same for the window's whole life. */
  proofOf(caller: string): string {
    let key = this.keys.get(caller);
    if (key === undefined) {
      key = randomBytes(keyBytes);
      this.keys.set(caller, key);
    }
    return `${windowProofPrefix}${key.toString('hex')}`;
  }

  /** Whether the offered subprotocols hold `caller`'s proof, compared in constant time. */
  proves(caller: string, offered: Iterable<string>): boolean {
    const key = this.keys.get(caller);
    if (key === undefined) return false;
    let proven = false;
    for (const protocol of offered) {
      const hex = protocol.startsWith(windowProofPrefix) ? protocol.slice(windowProofPrefix.length) : '';
      if (!proofKeyPattern.test(hex)) continue;
      const candidate = Buffer.from(hex, 'hex');
      // Every candidate is compared, so the time taken says nothing about which one matched.
      if (timingSafeEqual(candidate, key)) proven = true;
    }
    return proven;
  }
}
