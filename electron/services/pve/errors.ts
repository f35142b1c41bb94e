import { DescribedError, type CarriedMessage, type Sentence } from '../../../shared/text/sentence';
import type { CertificateInfo } from './tls/certificate-info';
import type { CertificateFingerprint } from './tls/fingerprint';

/** One endpoint that was tried and why it did not answer. */
export interface FailedAttempt {
  endpoint: string;
  reason: string;
}

/** What each error code carries besides its message; all of it is safe to show and to log. */
export interface PveErrorDetails {
  /** Wrong password, code or token, or a session the server no longer accepts. */
  AUTH_FAILED: { endpoint?: string };
  /** The account needs a second factor and the call could not ask for it (a background re-login). */
  SECOND_FACTOR_REQUIRED: { kinds: string[] };
  /** PVE's `Permission check failed (<path>, <priv>)`, split up when it has that form. */
  PERMISSION_DENIED: { path?: string; privilege?: string; serverMessage: string };
  /** No endpoint of the cluster could be reached; every attempt in order. */
  UNREACHABLE: { tried: FailedAttempt[] };
  TLS_MISMATCH: { endpoint: string; expected: CertificateFingerprint; actual: CertificateFingerprint };
  /** System-CA mode met a certificate no trusted CA vouches for; `certificate` lets the UI offer to pin it. */
  TLS_UNTRUSTED: { endpoint: string; reason: string; certificate?: CertificateInfo };
  TIMEOUT: { endpoint: string; timeoutMs: number };
  CANCELLED: Record<string, never>;
  /** PVE answered with an error status; `errors` holds per-parameter texts of a 400. */
  SERVER_ERROR: { endpoint: string; status: number; serverMessage: string; errors?: Record<string, string> };
  /** The answer was not what the endpoint documents; `call` names it, such as `GET /cluster/resources`. */
  BAD_RESPONSE: { call: string; problem: string };
}

export type PveErrorCode = keyof PveErrorDetails;

/**
 * Every failure of the PVE client. The message says what happened and what to
 * do; neither it nor the details ever contain a ticket, CSRF token, password
 * or token secret, so the whole error may be logged and shown.
 */
export class PveError<C extends PveErrorCode = PveErrorCode> extends DescribedError {
  readonly code: C;
  readonly details: PveErrorDetails[C];

  constructor(code: C, text: string | Sentence, details: PveErrorDetails[C], options?: { cause?: unknown }) {
    super(text, options);
    this.name = 'PveError';
    this.code = code;
    this.details = details;
  }

  /** The form that crosses IPC: no stack, no cause. */
  toPayload(): { code: C; details: PveErrorDetails[C] } & CarriedMessage {
    return { code: this.code, ...this.carried(), details: this.details };
  }
}

export function isPveError<C extends PveErrorCode>(error: unknown, code?: C): error is PveError<C> {
  return error instanceof PveError && (code === undefined || error.code === code);
}

const permissionPattern = /Permission check failed \(([^,()]+),\s*([^()]+)\)/;

/** Splits `Permission check failed (/vms/100, VM.PowerMgmt)` into its path and privilege. */
export function parsePermissionMessage(message: string): { path?: string; privilege?: string } {
  const match = permissionPattern.exec(message);
  if (match?.[1] === undefined || match[2] === undefined) return {};
  return { path: match[1].trim(), privilege: match[2].trim() };
}

/** What PVE's permission message says is missing, to be put in a sentence: the privilege on its path when it names them. */
export function missingPrivilege(path: string | undefined, privilege: string | undefined): Sentence {
  return path !== undefined && privilege !== undefined
    ? { en: `the privilege ${privilege} on ${path}`, fr: `le privilège ${privilege} sur ${path}` }
    : { en: 'a privilege', fr: 'un privilège' };
}
