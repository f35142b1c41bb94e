import { DescribedError, type Sentence } from '../../../../shared/text/sentence';
import type { CertificateFingerprint } from './fingerprint';

/**
 * The endpoint presented a certificate other than the pinned one. Nothing
 * was written on the connection; it was destroyed right after the handshake.
 */
export class TlsMismatchError extends DescribedError {
  readonly host: string;
  readonly port: number;
  readonly expected: CertificateFingerprint;
  readonly actual: CertificateFingerprint;

  constructor(details: { host: string; port: number; expected: CertificateFingerprint; actual: CertificateFingerprint }) {
    super({
      en:
        `The certificate of ${details.host}:${details.port} does not match the pinned one ` +
        `(pinned ${details.expected}, presented ${details.actual}). Nothing was sent. ` +
        'If the certificate was renewed on purpose, verify the new fingerprint on the server and accept it again.',
      fr:
        `Le certificat de ${details.host}:${details.port} ne correspond pas au certificat épinglé ` +
        `(épinglé ${details.expected}, présenté ${details.actual}). Rien n’a été envoyé. ` +
        'Si le certificat a été renouvelé volontairement, vérifiez la nouvelle empreinte sur le serveur et acceptez-la de nouveau.',
    });
    this.name = 'TlsMismatchError';
    this.host = details.host;
    this.port = details.port;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

/** In system-CA mode, the certificate did not verify against the trusted CAs (or did not name the host). */
export class TlsUntrustedError extends DescribedError {
  readonly host: string;
  readonly port: number;
  /** OpenSSL's or Node's verification code, such as DEPTH_ZERO_SELF_SIGNED_CERT or ERR_TLS_CERT_ALTNAME_INVALID. */
  readonly reason: string;

  constructor(details: { host: string; port: number; reason: string }, options?: { cause?: unknown }) {
    super(
      {
        en:
          `The certificate of ${details.host}:${details.port} is not trusted by the system (${details.reason}). ` +
          'Check its fingerprint on the server and pin it, or install a certificate signed by a trusted authority.',
        fr:
          `Le certificat de ${details.host}:${details.port} n’est pas reconnu par le système (${details.reason}). ` +
          'Vérifiez son empreinte sur le serveur et épinglez-le, ou installez un certificat signé par une autorité de confiance.',
      },
      options,
    );
    this.name = 'TlsUntrustedError';
    this.host = details.host;
    this.port = details.port;
    this.reason = details.reason;
  }
}

export type ConnectFailureReason = 'refused' | 'unreachable' | 'dns' | 'timeout' | 'cancelled' | 'handshake' | 'closed' | 'other';

/** The TCP connection or TLS handshake did not complete; no application data was sent. */
export class ConnectFailedError extends DescribedError {
  readonly host: string;
  readonly port: number;
  readonly reason: ConnectFailureReason;
  /** The system error code when there is one (ECONNREFUSED, EHOSTUNREACH…). */
  readonly code: string | undefined;
  /** The reason in words, such as `connection refused (ECONNREFUSED)`, to be put in a message of one's own. */
  readonly detail: Sentence;

  constructor(details: { host: string; port: number; reason: ConnectFailureReason; code?: string }, options?: { cause?: unknown }) {
    const detail = describeReason(details.reason, details.code);
    super(
      {
        en: `Could not connect to ${details.host}:${details.port}: ${detail.en}.`,
        fr: `Connexion à ${details.host}:${details.port} impossible : ${detail.fr}.`,
      },
      options,
    );
    this.detail = detail;
    this.name = 'ConnectFailedError';
    this.host = details.host;
    this.port = details.port;
    this.reason = details.reason;
    this.code = details.code;
  }
}

const reasonTexts: Record<ConnectFailureReason, Sentence> = {
  refused: { en: 'connection refused', fr: 'connexion refusée' },
  unreachable: { en: 'host or network unreachable', fr: 'hôte ou réseau injoignable' },
  dns: { en: 'host name not found', fr: 'nom d’hôte introuvable' },
  timeout: { en: 'timed out', fr: 'délai dépassé' },
  cancelled: { en: 'cancelled', fr: 'tentative annulée' },
  handshake: { en: 'TLS handshake failed', fr: 'échec de la négociation TLS' },
  closed: { en: 'connection closed during the handshake', fr: 'connexion fermée pendant la négociation TLS' },
  other: { en: 'network error', fr: 'erreur réseau' },
};

function describeReason(reason: ConnectFailureReason, code: string | undefined): Sentence {
  const text = reasonTexts[reason];
  return code !== undefined && reason !== 'timeout' && reason !== 'cancelled' ? { en: `${text.en} (${code})`, fr: `${text.fr} (${code})` } : text;
}

/** Certificate-verification codes Node and OpenSSL use when a chain or host name does not check out. */
const untrustedCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

export function isCertificateVerificationCode(code: string | undefined): boolean {
  return code !== undefined && untrustedCodes.has(code);
}

/** Maps a socket error raised before the handshake completed to a reason. */
export function connectFailureReason(code: string | undefined): ConnectFailureReason {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'closed';
    default:
      return code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS') ? 'handshake' : 'other';
  }
}
