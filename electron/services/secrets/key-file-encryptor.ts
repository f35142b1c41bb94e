import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
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
  let failure: string | undefined;

  function loadKey(): Buffer | undefined {
    if (key !== undefined || failure !== undefined) return key;
    try {
      const fileKey = readOrCreateKeyFile(options.keyFile);
      const salt = readMachineId(options.machineIdFiles ?? defaultMachineIdFiles);
      key = Buffer.from(hkdfSync('sha256', fileKey, salt, 'pve-desk secrets v1', keyLength));
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    return key;
  }

  function requireKey(): Buffer {
    const loaded = loadKey();
    if (loaded === undefined) throw new Error(`Encryption is not available: ${failure ?? 'no key'}`);
    return loaded;
  }

  return {
    isEncryptionAvailable: () => loadKey() !== undefined,
    unavailableReason: () => (loadKey() === undefined ? failure : undefined),
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
        throw new Error('The data is not in the expected format.');
      }
      const iv = encrypted.subarray(magic.length, magic.length + ivLength);
      const tag = encrypted.subarray(magic.length + ivLength, headerLength);
      const decipher = createDecipheriv('aes-256-gcm', requireKey(), iv);
      decipher.setAAD(magic);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(encrypted.subarray(headerLength)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('The data was changed, or was encrypted with another key.');
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
    throw new Error(`the key file ${path} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
  const content = readFileSync(path);
  if (content.length !== keyLength) throw new Error(`the key file ${path} is damaged (expected ${keyLength} bytes)`);
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
