import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { EncryptedFileSecretStore, secretsFileName } from './encrypted-file-secret-store';
import { encryptorFromSafeStorage, type Encryptor, type SafeStorageLike } from './encryptor';
import { createKeyFileEncryptor } from './key-file-encryptor';
import { secretKeys } from './secret-store';
import { SecretsError } from './secrets-error';

const password = 'Correct-Horse-Battery-Staple-42';
const token = 'aa0e9c1e-5f4b-4d9b-9d62-7f7c2c4a9e11';

describe('EncryptedFileSecretStore', () => {
  let configDir: string;
  let encryptor: Encryptor;
  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pve-desk-secrets-file-'));
    configDir = join(dir, 'config');
    // The key lives outside the config folder, as in the web host.
    encryptor = createKeyFileEncryptor({ keyFile: join(dir, 'data', 'secrets.key') });
  });

  const fileText = () => readFile(join(configDir, secretsFileName), 'utf8');

  it('stores secrets encrypted: the file never contains a value, in clear or in base64', async () => {
    const store = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    expect(store.backend.kind).toBe('encrypted-file');
    await store.set(secretKeys.profilePassword('p1'), password);
    await store.set(secretKeys.profileToken('p1'), token);
    const text = await fileText();
    for (const secret of [password, token]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
    }
    expect(text).toContain(secretKeys.profilePassword('p1'));

    const nextLaunch = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    expect(await nextLaunch.get(secretKeys.profilePassword('p1'))).toBe(password);
    expect(await nextLaunch.get(secretKeys.profileToken('p1'))).toBe(token);
    expect(await nextLaunch.has(secretKeys.profileToken('p1'))).toBe(true);
    expect(await nextLaunch.get(secretKeys.profilePassword('p2'))).toBeUndefined();
  });

  it('gives a clear error for a tampered value, not garbage', async () => {
    const store = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await store.set(secretKeys.profilePassword('p1'), password);
    const file = JSON.parse(await fileText()) as { entries: Record<string, string> };
    const sealed = Buffer.from(file.entries[secretKeys.profilePassword('p1')] ?? '', 'base64');
    sealed.writeUInt8(sealed.readUInt8(30) ^ 0x80, 30);
    file.entries[secretKeys.profilePassword('p1')] = sealed.toString('base64');
    await writeFile(join(configDir, secretsFileName), JSON.stringify(file));

    const reread = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await expect(reread.get(secretKeys.profilePassword('p1'))).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
      message: expect.stringMatching(/"profile\/p1\/password" cannot be read: .*changed.*enter the secret again/),
    });
  });

  it('detects a value moved to another entry', async () => {
    const store = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await store.set(secretKeys.profilePassword('admin'), 'admin-secret');
    await store.set(secretKeys.profilePassword('guest'), 'guest-secret');
    const file = JSON.parse(await fileText()) as { entries: Record<string, string> };
    file.entries[secretKeys.profilePassword('guest')] = file.entries[secretKeys.profilePassword('admin')] ?? '';
    await writeFile(join(configDir, secretsFileName), JSON.stringify(file));
    const reread = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await expect(reread.get(secretKeys.profilePassword('guest'))).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
      message: expect.stringContaining('belongs to another entry'),
    });
  });

  it('moves a structurally damaged file aside and starts empty', async () => {
    const store = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await store.set(secretKeys.profilePassword('p1'), password);
    await writeFile(join(configDir, secretsFileName), '{"version": 1, "entries": ');
    const reread = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    expect(await reread.get(secretKeys.profilePassword('p1'))).toBeUndefined();
    expect((await readdir(configDir)).some((name) => name.startsWith(`${secretsFileName}.damaged-`))).toBe(true);
  });

  it('refuses to store without an encryptor, and writes nothing', async () => {
    const store = new EncryptedFileSecretStore(configDir, undefined, silentLogger, 'the keychain is not reachable: no D-Bus');
    expect(store.backend.kind).toBe('unavailable');
    await expect(store.set(secretKeys.profilePassword('p1'), password)).rejects.toMatchObject({
      code: 'NO_SECURE_STORAGE',
      message: expect.stringMatching(/No keychain reachable \(the keychain is not reachable: no D-Bus\) and no encryption available.*gnome-keyring/),
    });
    await expect(readdir(configDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.has(secretKeys.profilePassword('p1'))).toBe(false);
  });

  it('says in French too why nothing can be stored, the keychain problem included', async () => {
    const problem = { en: 'the keychain is not reachable: no D-Bus', fr: 'le trousseau est injoignable : no D-Bus' };
    const store = new EncryptedFileSecretStore(configDir, undefined, silentLogger, problem);
    const failure = await store.set(secretKeys.profilePassword('p1'), password).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SecretsError);
    expect((failure as SecretsError).message).toMatch(/^No keychain reachable \(the keychain is not reachable: no D-Bus\)/);
    expect((failure as SecretsError).translations?.fr).toBe(
      'Aucun trousseau joignable (le trousseau est injoignable : no D-Bus) et aucun chiffrement disponible : les secrets ne peuvent pas être enregistrés. ' +
        'Installez et déverrouillez un trousseau Secret Service (gnome-keyring ou KWallet) dans votre session de bureau, puis redémarrez PVE Desk ; ' +
        'd’ici là, saisissez les mots de passe quand ils vous sont demandés.',
    );
  });

  it("refuses to store with Electron's Linux basic_text mode, which only obfuscates", async () => {
    const basicText: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: (text) => Buffer.from(text),
      decryptString: (data) => data.toString(),
    };
    const store = new EncryptedFileSecretStore(configDir, encryptorFromSafeStorage(basicText, 'linux'), silentLogger);
    await expect(store.set(secretKeys.profilePassword('p1'), password)).rejects.toMatchObject({ code: 'NO_SECURE_STORAGE' });
    expect(encryptorFromSafeStorage({ ...basicText, getSelectedStorageBackend: () => 'gnome_libsecret' }, 'linux').isEncryptionAvailable()).toBe(true);
    expect(encryptorFromSafeStorage({ ...basicText, getSelectedStorageBackend: undefined }, 'darwin').isEncryptionAvailable()).toBe(true);
  });

  it('deletes one secret, or a whole profile by prefix, without needing to decrypt', async () => {
    const store = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await store.set(secretKeys.profilePassword('1'), 'a');
    await store.set(secretKeys.profileToken('1'), 'b');
    await store.set(secretKeys.profilePassword('10'), 'c');
    const withoutEncryption = new EncryptedFileSecretStore(configDir, undefined, silentLogger);
    expect(await withoutEncryption.delete(secretKeys.profileToken('1'))).toBe(true);
    expect(await withoutEncryption.deleteAll(secretKeys.profile('1'))).toBe(1);
    const reread = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    expect(await reread.has(secretKeys.profilePassword('1'))).toBe(false);
    expect(await reread.get(secretKeys.profilePassword('10'))).toBe('c');
  });

  it('keeps every write when many happen at once', async () => {
    const store = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(secretKeys.profilePassword(`p${i}`), `v${i}`)));
    const reread = new EncryptedFileSecretStore(configDir, encryptor, silentLogger);
    for (let i = 0; i < 20; i += 1) expect(await reread.get(secretKeys.profilePassword(`p${i}`))).toBe(`v${i}`);
    expect(await readdir(configDir)).toEqual([secretsFileName]);
  });
});
