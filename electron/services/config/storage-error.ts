import { DescribedError, type Sentence } from '../../../shared/text/sentence';

/** Why a config file could not be saved; the message names the folder and says what to do. */
export type StorageErrorCode = 'DISK_FULL' | 'NOT_WRITABLE' | 'WRITE_FAILED';

export class StorageError extends DescribedError {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, text: string | Sentence, options?: { cause?: unknown }) {
    super(text, options);
    this.name = 'StorageError';
    this.code = code;
  }
}
