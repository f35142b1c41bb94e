import { createHash } from 'node:crypto';
import type { CertificateFingerprint } from '../../../../shared/domain/certificate';

export { normalizeFingerprint, type CertificateFingerprint } from '../../../../shared/domain/certificate';

/** The fingerprint of a certificate, computed over its DER encoding. */
export function fingerprintOfDer(der: Buffer): CertificateFingerprint {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}
