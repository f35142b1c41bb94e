import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../config';
import type { Logger } from '../log';
import type { Encryptor } from './encryptor';
import { assertSecretKey, assertSecretPrefix, assertSecretValue, isUnderPrefix, type SecretBackendInfo, type SecretStore } from './secret-store';
import { describeCause, SecretsError } from './secrets-error';

/** The file in the config folder; key names in clear (they are not secret), values encrypted. */
export const secretsFileName = 'secrets.enc.json';

const fileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)),
});
type SecretsFile = z.infer<typeof fileSchema>;
const emptyFile: SecretsFile = { version: 1, entries: {} };

// Each value is encrypted together with its key, so moving ciphertexts between
// entries in the file is detected instead of handing one secret out as another.
const sealedSchema = z.object({ k: z.string(), v: z.string() });

/**
 * Secrets in an encrypted file, for when no keychain answers. Without an
 * encryptor that really encrypts it refuses to store anything: there is no
 * plaintext mode.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly backend: SecretBackendInfo;
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    configDir: string,
    private readonly encryptor: Encryptor | undefined,
    private readonly logger: Logger,
    /** Why the keychain is not used, for messages. */
    private readonly keychainProblem = 'no keychain was tried',
  ) {
    this.file = join(configDir, secretsFileName);
    this.backend = this.canEncrypt()
      ? { kind: 'encrypted-file', detail: `Encrypted file ${this.file} (${keychainProblem})` }
      : { kind: 'unavailable', detail: this.noStorageMessage() };
  }

  async get(key: string): Promise<string | undefined> {
    assertSecretKey(key);
    const sealed = (await this.read()).entries[key];
    if (sealed === undefined) return undefined;
    return this.open(key, sealed);
  }

  async set(key: string, value: string): Promise<void> {
    assertSecretKey(key);
    assertSecretValue(key, value);
    if (!this.canEncrypt()) throw new SecretsError('NO_SECURE_STORAGE', this.noStorageMessage());
    const sealed = this.seal(key, value);
    await this.update((entries) => ({ ...entries, [key]: sealed }));
  }

  async delete(key: string): Promise<boolean> {
    assertSecretKey(key);
    let deleted = false;
    await this.update((entries) => {
      deleted = key in entries;
      return deleted ? without(entries, (name) => name === key) : undefined;
    });
    return deleted;
  }

  async has(key: string): Promise<boolean> {
    assertSecretKey(key);
    return key in (await this.read()).entries;
  }

  async deleteAll(prefix: string): Promise<number> {
    assertSecretPrefix(prefix);
    let deleted = 0;
    await this.update((entries) => {
      deleted = Object.keys(entries).filter((key) => isUnderPrefix(key, prefix)).length;
      return deleted > 0 ? without(entries, (key) => isUnderPrefix(key, prefix)) : undefined;
    });
    return deleted;
  }

  private canEncrypt(): boolean {
    return this.encryptor?.isEncryptionAvailable() ?? false;
  }

  private noStorageMessage(): string {
    return (
      `No keychain reachable (${this.keychainProblem}) and no encryption available, so secrets cannot be saved. ` +
      'Install and unlock a Secret Service keyring (gnome-keyring or KWallet) in your desktop session and restart PVE Desk; ' +
      'until then enter passwords when asked.'
    );
  }

  private seal(key: string, value: string): string {
    if (this.encryptor === undefined) throw new SecretsError('NO_SECURE_STORAGE', this.noStorageMessage());
    try {
      return this.encryptor.encryptString(JSON.stringify({ k: key, v: value })).toString('base64');
    } catch (error) {
      throw new SecretsError('NO_SECURE_STORAGE', `Encrypting "${key}" failed: ${describeCause(error)}.`, { cause: error });
    }
  }

  private open(key: string, sealed: string): string {
    const unreadable = (why: string) =>
      new SecretsError(
        'SECRET_UNREADABLE',
        `The stored secret "${key}" cannot be read: ${why}. ` +
          `${this.file} was changed, or was written on another machine or user account; enter the secret again to replace it.`,
      );
    if (!this.canEncrypt() || this.encryptor === undefined) throw unreadable('encryption is not available now');
    let plain: string;
    try {
      plain = this.encryptor.decryptString(Buffer.from(sealed, 'base64'));
    } catch (error) {
      throw unreadable(describeCause(error).replace(/\.$/, ''));
    }
    let parsed: z.ZodSafeParseResult<{ k: string; v: string }>;
    try {
      parsed = sealedSchema.safeParse(JSON.parse(plain));
    } catch {
      throw unreadable('it did not decrypt to a stored secret');
    }
    if (!parsed.success) throw unreadable('it did not decrypt to a stored secret');
    if (parsed.data.k !== key) throw unreadable('it belongs to another entry');
    return parsed.data.v;
  }

  private async read(): Promise<SecretsFile> {
    // Read each time: the file is small, and the other host (Electron or web) may have changed it.
    // A damaged file is moved aside by readJsonFile (nothing is lost) and the store starts empty.
    return readJsonFile(this.file, fileSchema, structuredClone(emptyFile), this.logger);
  }

  /**
   * Serialises read-modify-write so concurrent calls never lose each other's
   * changes. `change` returns the new entries, or undefined when nothing changes.
   */
  private update(change: (entries: Record<string, string>) => Record<string, string> | undefined): Promise<void> {
    const run = this.queue.then(async () => {
      const entries = change((await this.read()).entries);
      if (entries === undefined) return;
      const next: SecretsFile = { version: 1, entries };
      try {
        await writeJsonFile(this.file, next);
      } catch (error) {
        // writeJsonFile's message already names the folder and says what to do.
        throw new SecretsError('STORE_FAILED', `The secret was not stored: ${describeCause(error)}`, { cause: error });
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function without(entries: Record<string, string>, drop: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter(([key]) => !drop(key)));
}
