import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore, loadKeytar, type KeytarLike } from './keytar-secret-store';
import { secretKeys } from './secret-store';
import { SecretsError } from './secrets-error';

// Against the real Secret Service: run through build/with-keyring.sh, which starts
// a private D-Bus session with an unlocked gnome-keyring.
describe('KeytarSecretStore on the real keychain', () => {
  let keytar: KeytarLike;
  // A service name of its own per run, so nothing else in the keyring is touched.
  const service = `pve-desk-test-${randomBytes(4).toString('hex')}`;
  let store: KeytarSecretStore;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run inside build/with-keyring.sh').toBeTruthy();
    keytar = await loadKeytar();
    store = new KeytarSecretStore(keytar, service);
  });

  afterEach(async () => {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });

  it('stores, reads, reports and deletes a secret', async () => {
    const key = secretKeys.profilePassword('lab');
    expect(await store.has(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, 's3cret-value');
    expect(await store.get(key)).toBe('s3cret-value');
    expect(await store.has(key)).toBe(true);
    // It really is in the keychain, under the service and the key as account.
    expect(await keytar.getPassword(service, key)).toBe('s3cret-value');
    expect(await store.delete(key)).toBe(true);
    expect(await store.delete(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
  });

  it('keeps unicode and a 10 000-character value intact', async () => {
    const unicode = 'pässwörd — 密码 — пароль — 🔑 — ½ \u{1F600} tab\tend';
    const long = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
    await store.set(secretKeys.profilePassword('u'), unicode);
    await store.set(secretKeys.profileToken('u'), long);
    expect(await store.get(secretKeys.profilePassword('u'))).toBe(unicode);
    const readLong = await store.get(secretKeys.profileToken('u'));
    expect(readLong).toHaveLength(10_000);
    expect(readLong).toBe(long);
  });

  it('overwrites a secret in place', async () => {
    await store.set(secretKeys.sshPassphrase('n1'), 'first');
    await store.set(secretKeys.sshPassphrase('n1'), 'second');
    expect(await store.get(secretKeys.sshPassphrase('n1'))).toBe('second');
    expect(await keytar.findCredentials(service)).toHaveLength(1);
  });

  it('deleteAll removes a profile and everything under it, and nothing of a profile whose id merely starts the same', async () => {
    await store.set(secretKeys.profilePassword('1'), 'a');
    await store.set(secretKeys.profileToken('1'), 'b');
    await store.set(secretKeys.profilePassword('10'), 'c');
    await store.set(secretKeys.sshPassword('1'), 'd');
    expect(await store.deleteAll(secretKeys.profile('1'))).toBe(2);
    expect(await store.has(secretKeys.profilePassword('1'))).toBe(false);
    expect(await store.has(secretKeys.profileToken('1'))).toBe(false);
    expect(await store.get(secretKeys.profilePassword('10'))).toBe('c');
    expect(await store.get(secretKeys.sshPassword('1'))).toBe('d');
    expect(await store.deleteAll(secretKeys.profile('1'))).toBe(0);
  });

  it('rejects malformed keys before touching the keychain', async () => {
    await expect(store.set('no-slash', 'x')).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(store.get('profile/has space/password')).rejects.toBeInstanceOf(SecretsError);
    await expect(store.deleteAll('')).rejects.toMatchObject({ code: 'INVALID_KEY' });
  });

  it('refuses a value with a NUL character, which the keychain would silently cut short', async () => {
    await expect(store.set(secretKeys.profilePassword('nul'), 'before\u0000after')).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    expect(await store.has(secretKeys.profilePassword('nul'))).toBe(false);
  });
});
