import { X509Certificate } from 'node:crypto';
import { fingerprintOfDer, type CertificateFingerprint } from './fingerprint';

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

function isoDate(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

/** Reads the parts of a DER certificate the user needs to decide whether to trust it. */
export function describeCertificate(der: Buffer): CertificateInfo {
  const certificate = new X509Certificate(der);
  const altNames = certificate.subjectAltName;
  return {
    fingerprint256: fingerprintOfDer(der),
    subject: certificate.subject,
    issuer: certificate.issuer,
    validFrom: isoDate(certificate.validFrom),
    validTo: isoDate(certificate.validTo),
    subjectAltNames: altNames === undefined ? [] : altNames.split(/,\s*/).filter((name) => name.length > 0),
    selfSigned: certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey),
  };
}
