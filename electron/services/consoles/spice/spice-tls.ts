import type { Duplex } from 'node:stream';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';

/**
 * TLS with QEMU's SPICE port, as spice-gtk does it from a spiceproxy answer: trust only the answer's `ca` (no system
 * roots) and require the certificate's subject to equal `host-subject`, RDN by RDN (the host name means nothing here:
 * the connection goes through a proxy ticket, not to a name).
 */

/** The SPICE server's certificate is not signed by the answer's CA, or its subject is not `host-subject`. */
export class SpiceCertificateError extends Error {
  constructor(
    /** `untrusted`: not signed by the answer's CA (or expired); `subject`: not the host-subject. */
    readonly problem: 'untrusted' | 'subject',
    message: string,
  ) {
    super(message);
    this.name = 'SpiceCertificateError';
  }
}

/** PVE writes the PEM's line breaks as a literal `\n` (the `.vv` file is one line per key). */
export function pemOfAnswerCa(ca: string): string {
  return ca.replace(/\\n/g, '\n');
}

/** `OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve1` → sorted `key=value` pairs; `\,` is a comma inside a value. */
export function subjectRdns(subject: string): string[] {
  const rdns: string[] = [];
  let current = '';
  for (let index = 0; index < subject.length; index += 1) {
    const char = subject[index];
    if (char === '\\' && index + 1 < subject.length) {
      current += subject[index + 1];
      index += 1;
    } else if (char === ',') {
      rdns.push(current);
      current = '';
    } else current += char;
  }
  rdns.push(current);
  return rdns.map(normalizeRdn).sort();
}

function normalizeRdn(rdn: string): string {
  const equals = rdn.indexOf('=');
  return equals < 0 ? rdn.trim() : `${rdn.slice(0, equals).trim().toUpperCase()}=${rdn.slice(equals + 1).trim()}`;
}

/** The certificate's subject as the same sorted pairs (a field that repeats gives one pair per value). */
export function certificateRdns(certificate: Pick<PeerCertificate, 'subject'>): string[] {
  const subject = certificate.subject as unknown as Record<string, string | string[]> | undefined;
  return Object.entries(subject ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((one) => normalizeRdn(`${key}=${one}`)))
    .sort();
}

function describeRdns(rdns: string[]): string {
  return rdns.join(', ');
}

/** Node's verification codes that mean "not signed by the CA we trust", as opposed to a broken connection. */
const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** Starts TLS on `socket` (the CONNECTed proxy stream); resolves once the SPICE server's certificate passed both checks. */
export function startSpiceTls(socket: Duplex, trust: { ca: string; hostSubject: string }, timeoutMs: number): Promise<TLSSocket> {
  const expected = subjectRdns(trust.hostSubject);
  return new Promise((resolve, reject) => {
    const tls = connect({
      socket,
      ca: [pemOfAnswerCa(trust.ca)],
      checkServerIdentity: (_host, certificate) => {
        const presented = certificateRdns(certificate);
        if (presented.length === expected.length && presented.every((rdn, index) => rdn === expected[index])) return undefined;
        return new SpiceCertificateError(
          'subject',
          `The SPICE server's certificate subject (${describeRdns(presented)}) is not the host-subject PVE named (${describeRdns(expected)}).`,
        );
      },
    });
    const timer = setTimeout(() => {
      tls.destroy();
      reject(new Error(`the SPICE server did not complete TLS within ${timeoutMs} ms`));
    }, timeoutMs);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.off('error', onError);
      resolve(tls);
    });
    const onError = (error: Error & { code?: string }): void => {
      clearTimeout(timer);
      tls.destroy();
      if (error instanceof SpiceCertificateError) reject(error);
      else if (error.code !== undefined && untrustedCodes.has(error.code)) {
        reject(new SpiceCertificateError('untrusted', `The SPICE server's certificate is not signed by the CA PVE named for it (${error.code}).`));
      } else reject(error);
    };
    tls.once('error', onError);
  });
}
