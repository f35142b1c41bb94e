import { randomBytes } from 'node:crypto';
import { sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import type { Logger } from '../log';
import { EncryptedFileSecretStore } from './encrypted-file-secret-store';
import type { Encryptor } from './encryptor';
import { keychainService, KeytarSecretStore, loadKeytar, type KeytarLike } from './keytar-secret-store';
import type { SecretStore } from './secret-store';

export interface CreateSecretStoreOptions {
  configDir: string;
  /** Electron main: `encryptorFromSafeStorage(safeStorage)`; web host: `createKeyFileEncryptor(...)`. */
  encryptor?: Encryptor;
  logger: Logger;
  /** The keytar module, or a loader for it; defaults to the real native module. */
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
  /** Keychain service name; tests use their own. */
  service?: string;
  probeTimeoutMs?: number;
}

/** `reason` is put in the messages about the fallback: after "No keychain reachable (" and in the backend's detail. */
export type ProbeResult = { ok: true } | { ok: false; reason: Sentence };

const defaultProbeTimeoutMs = 3_000;

/**
 * Whether the keychain really works: a set, get and delete of a throwaway
 * entry. A missing D-Bus session fails at once, but a locked Secret Service
 * may show an unlock prompt and never answer, so the probe gives up after a
 * timeout. (A hung native call keeps one libuv worker thread until it returns;
 * that is the price of not blocking start-up.)
 */
export async function probeKeychain(keytar: KeytarLike, service: string, timeoutMs = defaultProbeTimeoutMs): Promise<ProbeResult> {
  const account = `probe/${randomBytes(8).toString('hex')}`;
  const expected = randomBytes(12).toString('hex');
  const roundTrip = async (): Promise<ProbeResult> => {
    await keytar.setPassword(service, account, expected);
    const read = await keytar.getPassword(service, account);
    await keytar.deletePassword(service, account);
    return read === expected
      ? { ok: true }
      : { ok: false, reason: { en: 'the keychain did not return what was stored', fr: 'le trousseau n’a pas rendu ce qui y avait été enregistré' } };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          reason: {
            en: `the keychain did not answer within ${timeoutMs / 1000} s (locked, or waiting for an unlock prompt)`,
            fr: `le trousseau n’a pas répondu en ${timeoutMs / 1000} s (verrouillé, ou en attente d’une demande de déverrouillage)`,
          },
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      roundTrip().catch((error: unknown): ProbeResult => {
        const cause = sentenceOfError(error);
        return { ok: false, reason: { en: `the keychain is not reachable: ${cause.en}`, fr: `le trousseau est injoignable : ${cause.fr}` } };
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The keychain when it answers, else the encrypted file (which refuses to store if nothing encrypts). */
export async function createSecretStore(options: CreateSecretStoreOptions): Promise<SecretStore> {
  const keychain = await openKeychain(options);
  if (keychain instanceof KeytarSecretStore) {
    options.logger.info('secrets.backend-selected', { backend: keychain.backend.kind, detail: keychain.backend.detail });
    return keychain;
  }
  const store = new EncryptedFileSecretStore(options.configDir, options.encryptor, options.logger, keychain.reason);
  options.logger.warn('secrets.keychain-unavailable', { backend: store.backend.kind, detail: store.backend.detail });
  return store;
}

async function openKeychain(options: CreateSecretStoreOptions): Promise<KeytarSecretStore | { reason: Sentence }> {
  const service = options.service ?? keychainService;
  let keytar: KeytarLike;
  try {
    keytar = typeof options.keytar === 'function' ? await options.keytar() : (options.keytar ?? (await loadKeytar()));
  } catch (error) {
    const cause = sentenceOfError(error);
    return {
      reason: { en: `the keychain module could not be loaded: ${cause.en}`, fr: `le module du trousseau n’a pas pu être chargé : ${cause.fr}` },
    };
  }
  const probe = await probeKeychain(keytar, service, options.probeTimeoutMs);
  return probe.ok ? new KeytarSecretStore(keytar, service) : { reason: probe.reason };
}
