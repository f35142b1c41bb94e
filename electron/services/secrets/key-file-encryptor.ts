import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribedError, sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { ensurePrivateFolder } from '../config';
import type { Encryptor } from './encryptor';

/**
 * AES-256-GCM in plain Node, for the web host and the tests (Electron main
 * uses safeStorage). The key is 32 random bytes in a file only the user can
 * read (0600, kept outside the config folder), stretched with the machine id
 * so a copy of both files on another machine decrypts nothing.
 *
 * What this protects, honestly: the secrets file on its own (a copied or
 * backed-up config folder, an export gone astray), and the files carried to
 * another machine. It does not protect against a program running as the same
 * user, which can read the key file; an unlocked OS keychain does not either,
 * and that is why the keychain is still tried first.
 */
export interface KeyFileEncryptorOptions {
  /** Where the key lives, e.g. `$XDG_DATA_HOME/pve-desk/secrets.key`; created on first use. */
  keyFile: string;
  /** Files holding a machine-bound id; the first readable one is used. */
  machineIdFiles?: string[];
}

const magic = Buffer.from('PDK1');
const ivLength = 12;
const tagLength = 16;
const keyLength = 32;
const defaultMachineIdFiles = ['/etc/machine-id', '/var/lib/dbus/machine-id'];

export function createKeyFileEncryptor(options: KeyFileEncryptorOptions): Encryptor & { unavailableReason(): string | undefined } {
  let key: Buffer | undefined;
  // Its messages end up in the secrets errors the user reads, hence in every language.
  let failure: Sentence | undefined;

  function loadKey(): Buffer | undefined {
    if (key !== undefined || failure !== undefined) return key;
    try {
      const fileKey = readOrCreateKeyFile(options.keyFile);
      const salt = readMachineId(options.machineIdFiles ?? defaultMachineIdFiles);
      key = Buffer.from(hkdfSync('sha256', fileKey, salt, 'pve-desk secrets v1', keyLength));
    } catch (error) {
      failure = sentenceOfError(error);
    }
    return key;
  }

  function requireKey(): Buffer {
    const loaded = loadKey();
    if (loaded === undefined) {
      throw new DescribedError({
        en: `Encryption is not available: ${failure?.en ?? 'no key'}`,
        fr: `Le chiffrement n’est pas disponible : ${failure?.fr ?? 'aucune clé'}`,
      });
    }
    return loaded;
  }

  return {
    isEncryptionAvailable: () => loadKey() !== undefined,
    unavailableReason: () => (loadKey() === undefined ? failure?.en : undefined),
    encryptString(plainText) {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv('aes-256-gcm', requireKey(), iv);
      cipher.setAAD(magic);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([magic, iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const headerLength = magic.length + ivLength + tagLength;
      if (encrypted.length < headerLength || !encrypted.subarray(0, magic.length).equals(magic)) {
        throw new DescribedError({ en: 'The data is not in the expected format.', fr: 'Les données ne sont pas au format attendu.' });
      }
      const iv = encrypted.subarray(magic.length, magic.length + ivLength);
      const tag = encrypted.subarray(magic.length + ivLength, headerLength);
      const decipher = createDecipheriv('aes-256-gcm', requireKey(), iv);
      decipher.setAAD(magic);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(encrypted.subarray(headerLength)), decipher.final()]).toString('utf8');
      } catch {
        throw new DescribedError({
          en: 'The data was changed, or was encrypted with another key.',
          fr: 'Les données ont été modifiées, ou ont été chiffrées avec une autre clé.',
        });
      }
    },
  };
}

function readOrCreateKeyFile(path: string): Buffer {
  ensurePrivateFolder(dirname(path));
  try {
    // 'wx' so two processes starting together cannot both create (and one lose) the key.
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(keyLength));
    } finally {
      closeSync(fd);
    }
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    // Like OpenSSH with a private key: a key others can read protects nothing.
    throw new DescribedError({
      en: `the key file ${path} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`,
      fr: `le fichier de clé ${path} est lisible par d’autres utilisateurs (mode ${mode.toString(8)}) ; exécutez chmod 600 sur ce fichier`,
    });
  }
  const content = readFileSync(path);
  if (content.length !== keyLength) {
    throw new DescribedError({
      en: `the key file ${path} is damaged (expected ${keyLength} bytes)`,
      fr: `le fichier de clé ${path} est endommagé (${keyLength} octets attendus)`,
    });
  }
  return content;
}

function readMachineId(files: string[]): Buffer {
  for (const file of files) {
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (id.length > 0) return Buffer.from(id);
    } catch {
      // try the next one
    }
  }
  // No machine id (some containers): the key file alone still protects the secrets file.
  return Buffer.alloc(0);
}
