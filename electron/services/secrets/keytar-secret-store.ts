import { assertSecretKey, assertSecretPrefix, assertSecretValue, isUnderPrefix, type SecretBackendInfo, type SecretStore } from './secret-store';
import { sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { SecretsError } from './secrets-error';

/** The part of keytar this store uses; tests and the probe may pass a stand-in shaped the same. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

type KeychainAction = 'read' | 'store' | 'delete' | 'list';

/** What the keychain was asked to do, after "could not" (English) and "n’a pas pu" (French). */
const keychainActions: Record<KeychainAction, Sentence> = {
  read: { en: 'read', fr: 'lire' },
  store: { en: 'store', fr: 'enregistrer' },
  delete: { en: 'delete', fr: 'supprimer' },
  list: { en: 'list', fr: 'lister les entrées de' },
};

/** The keychain service name every entry is filed under (account = the secret key). */
export const keychainService = 'pve-desk';

/** Loads the native keytar module; a build without it (or without libsecret) fails here, not at import time. */
export async function loadKeytar(): Promise<KeytarLike> {
  const loaded = (await import('keytar')) as { default?: KeytarLike } & Partial<KeytarLike>;
  return loaded.default ?? (loaded as KeytarLike);
}

/** Secrets in the OS keychain: Keychain on macOS, Credential Vault on Windows, Secret Service on Linux. */
export class KeytarSecretStore implements SecretStore {
  readonly backend: SecretBackendInfo;

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = keychainService,
  ) {
    this.backend = { kind: 'keychain', detail: `OS keychain, service "${service}"`, detailTranslations: { fr: `service « ${service} »` } };
  }

  async get(key: string): Promise<string | undefined> {
    assertSecretKey(key);
    const value = await this.call('read', key, () => this.keytar.getPassword(this.service, key));
    return value ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    assertSecretKey(key);
    assertSecretValue(key, value);
    await this.call('store', key, () => this.keytar.setPassword(this.service, key, value));
  }

  async delete(key: string): Promise<boolean> {
    assertSecretKey(key);
    return this.call('delete', key, () => this.keytar.deletePassword(this.service, key));
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async deleteAll(prefix: string): Promise<number> {
    assertSecretPrefix(prefix);
    // keytar has no "list accounts" call: findCredentials returns values too, which stay in this scope.
    const all = await this.call('list', prefix, () => this.keytar.findCredentials(this.service));
    let deleted = 0;
    for (const { account } of all) {
      if (!isUnderPrefix(account, prefix)) continue;
      if (await this.call('delete', account, () => this.keytar.deletePassword(this.service, account))) deleted += 1;
    }
    return deleted;
  }

  private async call<T>(action: KeychainAction, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const cause = sentenceOfError(error);
      const what = keychainActions[action];
      throw new SecretsError(
        'KEYCHAIN_FAILED',
        {
          en: `The OS keychain could not ${what.en} "${key}": ${cause.en}. Check that the keychain is unlocked and try again.`,
          fr: `Le trousseau du système n’a pas pu ${what.fr} « ${key} » : ${cause.fr}. Vérifiez que le trousseau est déverrouillé, puis réessayez.`,
        },
        { cause: error },
      );
    }
  }
}
