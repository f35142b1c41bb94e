import {
  secretBinding,
  secretGroupOf,
  secretNames,
  type ProfileFields,
  type SecretChanges,
  type SecretName,
  type StoredSecrets,
} from '../../../shared/domain/connections';
import { secretKeys, type SecretStore } from '../secrets';

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
    // Under the profile's SSH id, so deleting the profile deletes them too.
    case 'jumpPassphrase':
      return `${secretKeys.ssh(profileId)}/jump-passphrase`;
    case 'jumpPassword':
      return `${secretKeys.ssh(profileId)}/jump-password`;
  }
}

/** The secrets stored for `before` that `after` would send somewhere else or for another account. */
export function secretsUnboundBy(before: ProfileFields, after: ProfileFields): SecretName[] {
  return secretNames.filter((name) => secretBinding(before, secretGroupOf(name)) !== secretBinding(after, secretGroupOf(name)));
}

/** The secrets of one profile, seen through the app's SecretStore. */
export class ProfileSecrets {
  /**
   * Which secrets each profile has. Every list the renderer gets carries it, and
   * each lookup is a keychain round trip, so it is read once and kept up to date
   * by the writes below (this process is the keychain's only writer for them).
   */
  private readonly storedFlags = new Map<string, StoredSecrets>();

  constructor(private readonly store: SecretStore) {}

  get backend(): SecretStore['backend'] {
    return this.store.backend;
  }

  get(profileId: string, name: SecretName): Promise<string | undefined> {
    return this.store.get(profileSecretKey(profileId, name));
  }

  async set(profileId: string, name: SecretName, value: string): Promise<void> {
    await this.store.set(profileSecretKey(profileId, name), value);
    this.remember(profileId, name, true);
  }

  /** Which secrets are stored: all the renderer may know about them. */
  async stored(profileId: string): Promise<StoredSecrets> {
    const known = this.storedFlags.get(profileId);
    if (known !== undefined) return { ...known };
    const entries = await Promise.all(secretNames.map(async (name) => [name, await this.store.has(profileSecretKey(profileId, name))] as const));
    const flags = Object.fromEntries(entries) as StoredSecrets;
    this.storedFlags.set(profileId, flags);
    return { ...flags };
  }

  /** A string stores, null deletes, absent leaves the secret alone. */
  async apply(profileId: string, changes: SecretChanges): Promise<void> {
    for (const name of secretNames) {
      const change = changes[name];
      if (change === undefined) continue;
      const key = profileSecretKey(profileId, name);
      if (change === null) await this.store.delete(key);
      else await this.store.set(key, change);
      this.remember(profileId, name, change !== null);
    }
  }

  /**
   * Deletes the stored secrets that settings changing from `before` to `after`
   * unbind, unless `changes` gives or forgets them in the same save: a secret
   * is only ever sent where, and as whom, it was stored for. Answers which
   * were deleted.
   */
  async dropUnbound(profileId: string, before: ProfileFields, after: ProfileFields, changes: SecretChanges): Promise<SecretName[]> {
    // Deleted whether or not the flags say they exist: the flags are a cache, the keychain is the truth.
    const unbound = secretsUnboundBy(before, after).filter((name) => changes[name] === undefined);
    const stored = await this.stored(profileId);
    await this.apply(profileId, Object.fromEntries(unbound.map((name) => [name, null])));
    return unbound.filter((name) => stored[name]);
  }

  async deleteAll(profileId: string): Promise<void> {
    await this.store.deleteAll(secretKeys.profile(profileId));
    await this.store.deleteAll(secretKeys.ssh(profileId));
    this.storedFlags.delete(profileId);
  }

  private remember(profileId: string, name: SecretName, stored: boolean): void {
    const known = this.storedFlags.get(profileId);
    if (known !== undefined) known[name] = stored;
  }
}
