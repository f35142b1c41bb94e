import { DescribedError, type Sentence } from '../../../shared/text/sentence';

/**
 * Why a secret operation failed. The message says what happened and what the
 * user can do; it never contains a secret value (only key names, which are
 * not secret: `profile/<id>/password`).
 */
export type SecretsErrorCode =
  /** The key is not of the form `area/<id>/<name>`. A programming error. */
  | 'INVALID_KEY'
  /** The value holds a NUL character, which the OS keychains cut the value at. */
  | 'INVALID_VALUE'
  /** No keychain answered and no encryption is available: nothing can be stored safely. */
  | 'NO_SECURE_STORAGE'
  /** The OS keychain was reachable at start but refused or failed this operation. */
  | 'KEYCHAIN_FAILED'
  /** A stored secret could not be decrypted: the file was changed, or comes from another machine or account. */
  | 'SECRET_UNREADABLE'
  /** The encrypted secrets file could not be written. */
  | 'STORE_FAILED';

export class SecretsError extends DescribedError {
  readonly code: SecretsErrorCode;

  constructor(code: SecretsErrorCode, text: string | Sentence, options?: { cause?: unknown }) {
    super(text, options);
    this.name = 'SecretsError';
    this.code = code;
  }
}
