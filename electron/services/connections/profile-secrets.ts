import { secretNames, type SecretChanges, type SecretName, type StoredSecrets } from '../../../shared/domain/connections';
import { secretKeys, type SecretStore } from '../secrets/secret-store';

/** The keychain entry of each secret a profile may have; SSH secrets live under the profile's SSH id (its own id). */
export function profileSecretKey(profileId: string, name: SecretName): string {
  switch (name) {
    case 'password':
      return secretKeys.profilePassword(profileId);
    case 'tokenSecret':
      return secretKeys.profileToken(profileId);
    case 'sshPassphrase':
      return secretKeys.sshPassphrase(profileId);
    case 'sshPassword':
      return secretKeys.sshPassword(profileId);
  }
}

/** The secrets of one profile, seen through the app's SecretStore. */
export class ProfileSecrets {
  constructor(private readonly store: SecretStore) {}

  get backend(): SecretStore['backend'] {
    return this.store.backend;
  }

  get(profileId: string, name: SecretName): Promise<string | undefined> {
    return this.store.get(profileSecretKey(profileId, name));
  }

  set(profileId: string, name: SecretName, value: string): Promise<void> {
    return this.store.set(profileSecretKey(profileId, name), value);
  }

  /** Which secrets are stored: all the renderer may know about them. */
  async stored(profileId: string): Promise<StoredSecrets> {
    const entries = await Promise.all(secretNames.map(async (name) => [name, await this.store.has(profileSecretKey(profileId, name))] as const));
    return Object.fromEntries(entries) as StoredSecrets;
  }

  /** A string stores, null deletes, absent leaves the secret alone. */
  async apply(profileId: string, changes: SecretChanges): Promise<void> {
    for (const name of secretNames) {
      const change = changes[name];
      if (change === undefined) continue;
      const key = profileSecretKey(profileId, name);
      if (change === null) await this.store.delete(key);
      else await this.store.set(key, change);
    }
  }

  async deleteAll(profileId: string): Promise<void> {
    await this.store.deleteAll(secretKeys.profile(profileId));
    await this.store.deleteAll(secretKeys.ssh(profileId));
  }

  /** The SecretStore itself, for the SSH layer that reads passphrases by key. */
  get secretStore(): SecretStore {
    return this.store;
  }
}
