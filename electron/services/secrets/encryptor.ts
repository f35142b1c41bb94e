/**
 * Encrypts secrets for the file backend. Shaped like Electron's `safeStorage`
 * so main can pass it in (through `encryptorFromSafeStorage`) without this
 * folder importing electron; the web host and the tests use the key-file
 * encryptor instead.
 */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  /** Throws when the data was changed or encrypted with another key. */
  decryptString(encrypted: Buffer): string;
}

/** What main hands over: Electron's `safeStorage` object as it is. */
export interface SafeStorageLike extends Encryptor {
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

// On Linux without a keyring Chromium falls back to "basic_text": a key hard-coded in
// Chromium's source. That is obfuscation, not encryption, so it counts as unavailable.
const obfuscatingBackends = new Set(['basic_text', 'unknown']);

/** Wraps Electron's safeStorage, refusing the Linux "basic_text" mode that only pretends to encrypt. */
export function encryptorFromSafeStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): Encryptor {
  return {
    isEncryptionAvailable() {
      if (!safeStorage.isEncryptionAvailable()) return false;
      if (platform !== 'linux' || safeStorage.getSelectedStorageBackend === undefined) return true;
      return !obfuscatingBackends.has(safeStorage.getSelectedStorageBackend());
    },
    encryptString: (plainText) => safeStorage.encryptString(plainText),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}
