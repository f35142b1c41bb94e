import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../../../shared/domain/certificate';
import { withoutBidiControls } from '../../../../shared/text/bidi-controls';
import { fingerprintOfDer } from './fingerprint';

export type { CertificateInfo } from '../../../../shared/domain/certificate';

function isoDate(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

/**
 * Reads the parts of a DER certificate the user needs to decide whether to
 * trust it. Whoever made the certificate chose its names: bidi controls in
 * them could make the dialog show another host than the one named.
 */
export function describeCertificate(der: Buffer): CertificateInfo {
  const certificate = new X509Certificate(der);
  const altNames = certificate.subjectAltName;
  return {
    fingerprint256: fingerprintOfDer(der),
    subject: withoutBidiControls(certificate.subject),
    issuer: withoutBidiControls(certificate.issuer),
    validFrom: isoDate(certificate.validFrom),
    validTo: isoDate(certificate.validTo),
    subjectAltNames:
      altNames === undefined
        ? []
        : withoutBidiControls(altNames)
            .split(/,\s*/)
            .filter((name) => name.length > 0),
    selfSigned: certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey),
  };
}
