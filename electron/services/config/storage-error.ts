/** Why a config file could not be saved; the message names the folder and says what to do. */
export type StorageErrorCode = 'DISK_FULL' | 'NOT_WRITABLE' | 'WRITE_FAILED';

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}
