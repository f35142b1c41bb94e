import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const hexTime = (seconds: number): string => Math.floor(seconds).toString(16).toUpperCase().padStart(8, '0');

export interface VerifiedTicket {
  data: string;
  /** Seconds since the ticket was issued. */
  age: number;
}

/**
 * PVE's signed tickets (PVE::Ticket): `<prefix>:<data>:<HEXTIME>::<base64 signature>`.
 * The signature also covers `secretData`, which is not part of the ticket
 * (PVE uses it to bind partial TFA tickets and VNC tickets to a user and path).
 * PVE signs with RSA; the lab uses Ed25519, the format is the same.
 */
export class TicketSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly csrfSecret: Buffer;

  /** `clock` gives the time tickets are issued and aged by (seconds since the epoch). */
  constructor(
    stateDir: string,
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {
    const keyFile = join(stateDir, 'authkey.key');
    const csrfFile = join(stateDir, 'pve-www.key');
    if (!existsSync(keyFile)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    if (!existsSync(csrfFile)) writeFileSync(csrfFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    this.privateKey = createPrivateKey(readFileSync(keyFile));
    this.publicKey = createPublicKey(this.privateKey);
    this.csrfSecret = Buffer.from(readFileSync(csrfFile, 'utf8'), 'hex');
  }

  assemble(prefix: string, data: string | undefined, secretData = '', now = this.clock()): string {
    const plain = data === undefined ? `${prefix}:${hexTime(now)}` : `${prefix}:${data}:${hexTime(now)}`;
    const signature = sign(null, Buffer.from(`${plain}::${secretData}`), this.privateKey).toString('base64');
    return `${plain}::${signature}`;
  }

  /** Checks signature and age (PVE accepts tickets up to 5 minutes from the future for clock skew). */
  verify(ticket: string, prefix: string, maxAgeSeconds: number, secretData = '', now = this.clock()): VerifiedTicket | undefined {
    const split = ticket.lastIndexOf('::');
    if (split < 0) return undefined;
    const plain = ticket.slice(0, split);
    const signature = Buffer.from(ticket.slice(split + 2), 'base64');
    if (!plain.startsWith(`${prefix}:`)) return undefined;
    let valid = false;
    try {
      valid = verify(null, Buffer.from(`${plain}::${secretData}`), this.publicKey, signature);
    } catch {
      valid = false;
    }
    if (!valid) return undefined;
    const lastColon = plain.lastIndexOf(':');
    const time = parseInt(plain.slice(lastColon + 1), 16);
    if (!Number.isFinite(time)) return undefined;
    const age = now - time;
    if (age < -300 || age > maxAgeSeconds) return undefined;
    const data = plain.slice(prefix.length + 1, lastColon);
    return { data, age };
  }

  /** PVE's CSRF token: `<HEXTIME>:<base64 HMAC-SHA256("<HEXTIME>:<user>")>`. */
  csrfToken(userid: string, now = this.clock()): string {
    const time = hexTime(now);
    const digest = createHmac('sha256', this.csrfSecret).update(`${time}:${userid}`).digest('base64').replace(/=+$/, '');
    return `${time}:${digest}`;
  }

  verifyCsrf(token: string, userid: string, maxAgeSeconds: number, now = this.clock()): boolean {
    const [time] = token.split(':');
    if (!time || !/^[0-9A-F]{8}$/.test(time)) return false;
    const expected = Buffer.from(this.csrfToken(userid, parseInt(time, 16)));
    const given = Buffer.from(token);
    const age = now - parseInt(time, 16);
    return expected.length === given.length && timingSafeEqual(expected, given) && age >= -300 && age <= maxAgeSeconds;
  }
}
