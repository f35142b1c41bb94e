/** The public surface of secrets: the keychain or encrypted-file store and the encryptors a host passes in. */
export { createSecretStore } from './create-secret-store';
export { EncryptedFileSecretStore } from './encrypted-file-secret-store';
export { encryptorFromSafeStorage, type Encryptor } from './encryptor';
export { createKeyFileEncryptor } from './key-file-encryptor';
export { loadKeytar } from './keytar-secret-store';
export { secretKeys, type SecretStore } from './secret-store';
export { SecretsError } from './secrets-error';
