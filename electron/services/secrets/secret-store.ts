import { SecretsError } from './secrets-error';
import type { Translations } from '../../../shared/text/sentence';

/** Which backend holds the secrets, and in words why, for the connection settings screen. */
export interface SecretBackendInfo {
  kind: 'keychain' | 'encrypted-file' | 'unavailable';
  /** Which keychain or file, or why there is none; in English (the log's), put in a sentence of the window's. */
  detail: string;
  /** The detail in the app's other languages. */
  detailTranslations?: Translations;
}

/**
 * Where credentials live: the OS keychain, else an encrypted file. Values go in
 * and out as strings and are never logged, written in clear or sent over IPC;
 * the renderer only ever learns `has(key)`.
 */
export interface SecretStore {
  readonly backend: SecretBackendInfo;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /**
   * Deletes `prefix` itself and every key under `prefix/` (so deleting a
   * profile deletes its secrets). Matches whole segments: `profile/1` never
   * touches `profile/10/...`. Returns how many were deleted.
   */
  deleteAll(prefix: string): Promise<number>;
}

/** The names secrets are kept under; use these rather than building strings by hand. */
export const secretKeys = {
  profile: (profileId: string) => `profile/${profileId}`,
  profilePassword: (profileId: string) => `profile/${profileId}/password`,
  profileToken: (profileId: string) => `profile/${profileId}/token`,
  ssh: (sshId: string) => `ssh/${sshId}`,
  sshPassphrase: (sshId: string) => `ssh/${sshId}/passphrase`,
  sshPassword: (sshId: string) => `ssh/${sshId}/password`,
  /** A P2V source server's login: how (`auth`, no secret in it), and its password or key passphrase. */
  p2vSource: (credentialId: string) => `p2v/source/${credentialId}`,
  p2vSourceAuth: (credentialId: string) => `p2v/source/${credentialId}/auth`,
  p2vSourcePassword: (credentialId: string) => `p2v/source/${credentialId}/password`,
  p2vSourcePassphrase: (credentialId: string) => `p2v/source/${credentialId}/passphrase`,
} as const;

// Segments are ids and names, not free text: this keeps keys printable in logs and errors.
const keyPattern = /^[a-z][a-z0-9-]*(\/[A-Za-z0-9._@:-]+)+$/;
const prefixPattern = /^[a-z][a-z0-9-]*(\/[A-Za-z0-9._@:-]+)*$/;
const maxKeyLength = 200;

export function assertSecretKey(key: string): void {
  if (key.length > maxKeyLength || !keyPattern.test(key)) {
    throw new SecretsError('INVALID_KEY', {
      en: `"${printableKey(key)}" is not a secret key of the form area/<id>/<name>.`,
      fr: `« ${printableKey(key)} » n’est pas une clé de secret de la forme area/<id>/<name>.`,
    });
  }
}

export function assertSecretPrefix(prefix: string): void {
  if (prefix.length > maxKeyLength || !prefixPattern.test(prefix)) {
    throw new SecretsError('INVALID_KEY', {
      en: `"${printableKey(prefix)}" is not a secret key prefix of the form area[/<id>...].`,
      fr: `« ${printableKey(prefix)} » n’est pas un préfixe de clé de secret de la forme area[/<id>...].`,
    });
  }
}

/**
 * keytar hands values to C APIs as NUL-terminated strings: a NUL would silently
 * cut the secret short, so both backends refuse it instead.
 */
export function assertSecretValue(key: string, value: string): void {
  if (value.includes('\u0000')) {
    throw new SecretsError('INVALID_VALUE', {
      en: `The value for "${printableKey(key)}" contains a NUL character, which cannot be stored.`,
      fr: `La valeur de « ${printableKey(key)} » contient un caractère NUL, qui ne peut pas être enregistré.`,
    });
  }
}

/** Whether `key` is `prefix` or lies under it, segment-wise. */
export function isUnderPrefix(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(prefix + '/');
}

function printableKey(key: string): string {
  return key.replace(/[^\w./@:-]/g, '?').slice(0, 80);
}
