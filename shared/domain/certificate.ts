/**
 * A SHA-256 certificate fingerprint written the way PVE shows it
 * (`pvenode cert info`, the node's Certificates panel): 32 bytes as
 * colon-separated uppercase hex.
 */
export type CertificateFingerprint = string;

export const canonicalFingerprint = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/**
 * Accepts a pin as a user may paste it (lower case, spaces, no colons) and
 * returns the canonical form, or null when it is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(text: string): CertificateFingerprint | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}

/** What the trust dialog shows the user before they accept a certificate. */
export interface CertificateInfo {
  fingerprint256: CertificateFingerprint;
  /** Distinguished names, one `KEY=value` per line as OpenSSL prints them. */
  subject: string;
  issuer: string;
  /** ISO 8601 timestamps. */
  validFrom: string;
  validTo: string;
  /** Subject alternative names such as `DNS:pve1.lab` or `IP Address:10.0.0.1`. */
  subjectAltNames: string[];
  selfSigned: boolean;
}
