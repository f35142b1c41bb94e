import { DescribedError, type Sentence } from '../../../shared/text/sentence';

/**
 * Why an SSH operation failed. Messages say what happened and what to do;
 * they name hosts, users, key files and fingerprints, never a secret.
 */
export type SshErrorCode =
  /** The server's host key is not the one pinned: possibly an attack, or a reinstalled node. */
  | 'HOST_KEY_MISMATCH'
  /** The user declined an unknown host key. */
  | 'HOST_KEY_REFUSED'
  | 'AUTH_FAILED'
  /** The private key file is missing, unreadable, encrypted without a stored passphrase, or the passphrase is wrong. */
  | 'KEY_UNUSABLE'
  /** Password auth is configured but no password is stored. */
  | 'SECRET_MISSING'
  /** Agent auth is configured but there is no agent socket. */
  | 'NO_AGENT'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  /** The connection dropped while something was running on it. */
  | 'DISCONNECTED'
  /** The caller aborted. */
  | 'CANCELLED'
  /** The session was closed by the application. */
  | 'CLOSED'
  /** The server refused to open a channel (exec, SFTP, forwarding). */
  | 'CHANNEL_FAILED'
  | 'PROTOCOL';

export interface HostKeyMismatchDetails {
  host: string;
  port: number;
  pinnedFingerprint: string;
  presentedFingerprint: string;
  keyType: string;
}

export class SshError extends DescribedError {
  readonly code: SshErrorCode;
  /** For HOST_KEY_MISMATCH: both fingerprints, for the dialog that explains it. */
  readonly hostKey?: HostKeyMismatchDetails;

  constructor(code: SshErrorCode, text: string | Sentence, options?: { cause?: unknown; hostKey?: HostKeyMismatchDetails }) {
    super(text, options);
    this.name = 'SshError';
    this.code = code;
    if (options?.hostKey !== undefined) this.hostKey = options.hostKey;
  }
}
