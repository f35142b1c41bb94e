import { join } from 'node:path';
import { z } from 'zod';
import { asSentence, sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { readJsonFile, writeJsonFile } from '../config';
import type { Logger } from '../log';
import type { Encryptor } from './encryptor';
import { assertSecretKey, assertSecretPrefix, assertSecretValue, isUnderPrefix, type SecretBackendInfo, type SecretStore } from './secret-store';
import { SecretsError } from './secrets-error';

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

const noKeychainTried: Sentence = { en: 'no keychain was tried', fr: 'aucun trousseau n’a été essayé' };

/**
 * Secrets in an encrypted file, for when no keychain answers. Without an
 * encryptor that really encrypts it refuses to store anything: there is no
 * plaintext mode.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly backend: SecretBackendInfo;
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the keychain is not used, for messages; a plain string reads the same in every language. */
  private readonly keychainProblem: Sentence;

  constructor(
    configDir: string,
    private readonly encryptor: Encryptor | undefined,
    private readonly logger: Logger,
    keychainProblem: string | Sentence = noKeychainTried,
  ) {
    this.keychainProblem = asSentence(keychainProblem);
    this.file = join(configDir, secretsFileName);
    // The window puts the detail in its own sentence, which already says "an encrypted file" or "no secure storage".
    const noStorage = this.noStorageMessage();
    this.backend = this.canEncrypt()
      ? {
          kind: 'encrypted-file',
          detail: `Encrypted file ${this.file} (${this.keychainProblem.en})`,
          detailTranslations: { fr: `${this.file}, ${this.keychainProblem.fr}` },
        }
      : { kind: 'unavailable', detail: noStorage.en, detailTranslations: { fr: noStorage.fr } };
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

  private noStorageMessage(): Sentence {
    return {
      en:
        `No keychain reachable (${this.keychainProblem.en}) and no encryption available, so secrets cannot be saved. ` +
        'Install and unlock a Secret Service keyring (gnome-keyring or KWallet) in your desktop session and restart PVE Desk; ' +
        'until then enter passwords when asked.',
      fr:
        `Aucun trousseau joignable (${this.keychainProblem.fr}) et aucun chiffrement disponible : les secrets ne peuvent pas être enregistrés. ` +
        'Installez et déverrouillez un trousseau Secret Service (gnome-keyring ou KWallet) dans votre session de bureau, puis redémarrez PVE Desk ; ' +
        'd’ici là, saisissez les mots de passe quand ils vous sont demandés.',
    };
  }

  private seal(key: string, value: string): string {
    if (this.encryptor === undefined) throw new SecretsError('NO_SECURE_STORAGE', this.noStorageMessage());
    try {
      return this.encryptor.encryptString(JSON.stringify({ k: key, v: value })).toString('base64');
    } catch (error) {
      const cause = sentenceOfError(error);
      throw new SecretsError(
        'NO_SECURE_STORAGE',
        { en: `Encrypting "${key}" failed: ${cause.en}.`, fr: `Le chiffrement de « ${key} » a échoué : ${cause.fr}.` },
        { cause: error },
      );
    }
  }

  private open(key: string, sealed: string): string {
    const unreadable = (why: Sentence) =>
      new SecretsError('SECRET_UNREADABLE', {
        en:
          `The stored secret "${key}" cannot be read: ${why.en}. ` +
          `${this.file} was changed, or was written on another machine or user account; enter the secret again to replace it.`,
        fr:
          `Le secret enregistré « ${key} » ne peut pas être lu : ${why.fr}. ` +
          `${this.file} a été modifié, ou écrit sur une autre machine ou sous un autre compte utilisateur ; saisissez de nouveau le secret pour le remplacer.`,
      });
    if (!this.canEncrypt() || this.encryptor === undefined) {
      throw unreadable({ en: 'encryption is not available now', fr: 'le chiffrement n’est pas disponible pour le moment' });
    }
    let plain: string;
    try {
      plain = this.encryptor.decryptString(Buffer.from(sealed, 'base64'));
    } catch (error) {
      const cause = sentenceOfError(error);
      throw unreadable({ en: cause.en.replace(/\.$/, ''), fr: cause.fr.replace(/\.$/, '') });
    }
    const notASecret: Sentence = { en: 'it did not decrypt to a stored secret', fr: 'son déchiffrement ne donne pas un secret enregistré' };
    let parsed: z.ZodSafeParseResult<{ k: string; v: string }>;
    try {
      parsed = sealedSchema.safeParse(JSON.parse(plain));
    } catch {
      throw unreadable(notASecret);
    }
    if (!parsed.success) throw unreadable(notASecret);
    if (parsed.data.k !== key) throw unreadable({ en: 'it belongs to another entry', fr: 'il appartient à une autre entrée' });
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
        const cause = sentenceOfError(error);
        throw new SecretsError(
          'STORE_FAILED',
          { en: `The secret was not stored: ${cause.en}`, fr: `Le secret n’a pas été enregistré : ${cause.fr}` },
          {
            cause: error,
          },
        );
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function without(entries: Record<string, string>, drop: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter(([key]) => !drop(key)));
}
