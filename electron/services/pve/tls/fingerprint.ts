import { createHash } from 'node:crypto';

/**
 * A SHA-256 certificate fingerprint written the way PVE shows it
 * (`pvenode cert info`, the node's Certificates panel): 32 bytes as
 * colon-separated uppercase hex.
 */
export type CertificateFingerprint = string;

const canonical = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** The fingerprint of a certificate, computed over its DER encoding. */
export function fingerprintOfDer(der: Buffer): CertificateFingerprint {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

/**
 * Accepts a pin as a user may paste it (lower case, spaces, no colons) and
 * returns the canonical form, or null when it is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(text: string): CertificateFingerprint | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  const formatted = hex.match(/../g)?.join(':') ?? '';
  return canonical.test(formatted) ? formatted : null;
}
