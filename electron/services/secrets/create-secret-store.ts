import { randomBytes } from 'node:crypto';
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

export type ProbeResult = { ok: true } | { ok: false; reason: string };

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
    return read === expected ? { ok: true } : { ok: false, reason: 'the keychain did not return what was stored' };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `the keychain did not answer within ${timeoutMs / 1000} s (locked, or waiting for an unlock prompt)` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      roundTrip().catch((error: unknown): ProbeResult => ({
        ok: false,
        reason: `the keychain is not reachable: ${error instanceof Error ? error.message : String(error)}`,
      })),
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

async function openKeychain(options: CreateSecretStoreOptions): Promise<KeytarSecretStore | { reason: string }> {
  const service = options.service ?? keychainService;
  let keytar: KeytarLike;
  try {
    keytar = typeof options.keytar === 'function' ? await options.keytar() : (options.keytar ?? (await loadKeytar()));
  } catch (error) {
    return { reason: `the keychain module could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
  const probe = await probeKeychain(keytar, service, options.probeTimeoutMs);
  return probe.ok ? new KeytarSecretStore(keytar, service) : { reason: probe.reason };
}
