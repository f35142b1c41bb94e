/**
 * The source server's login, kept in the secret store under `p2v/source/<credentialId>/…`: how to log in (method
 * and key path, no secret) and the password or passphrase. A plan only carries the credential id; the secret never
 * comes back out of main.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SshSourceAuth } from '../../../../shared/domain/p2v';
import { IpcError } from '../../../../shared/ipc/errors';
import { secretKeys, type SecretStore } from '../../secrets';
import type { SshAuth } from '../../ssh';
import { safeJson } from './source-facts';

const storedAuthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password') }),
  z.object({ method: z.literal('key-file'), privateKeyPath: z.string().min(1), passphrase: z.boolean() }),
  z.object({ method: z.literal('agent') }),
]);

/** Stores the login under a new credential id (32 hex) and answers it. */
export async function storeSourceCredential(secrets: SecretStore, auth: SshSourceAuth): Promise<string> {
  const credentialId = randomBytes(16).toString('hex');
  switch (auth.method) {
    case 'password':
      await secrets.set(secretKeys.p2vSourcePassword(credentialId), auth.password);
      await secrets.set(secretKeys.p2vSourceAuth(credentialId), JSON.stringify({ method: 'password' }));
      break;
    case 'key-file':
      if (auth.passphrase !== undefined) await secrets.set(secretKeys.p2vSourcePassphrase(credentialId), auth.passphrase);
      await secrets.set(
        secretKeys.p2vSourceAuth(credentialId),
        JSON.stringify({ method: 'key-file', privateKeyPath: auth.privateKeyPath, passphrase: auth.passphrase !== undefined }),
      );
      break;
    case 'agent':
      await secrets.set(secretKeys.p2vSourceAuth(credentialId), JSON.stringify({ method: 'agent' }));
      break;
  }
  return credentialId;
}

/** The SshAuth of a stored credential: names of the secrets, never the secrets themselves. */
export async function sourceAuth(secrets: SecretStore, credentialId: string): Promise<SshAuth> {
  const text = await secrets.get(secretKeys.p2vSourceAuth(credentialId));
  const parsed = text === undefined ? undefined : storedAuthSchema.safeParse(safeJson(text));
  if (parsed?.success !== true) {
    throw new IpcError('NOT_FOUND', {
      en: 'The login to the source server is no longer stored (the migration was forgotten, or the keychain was reset): connect to the server again in the wizard.',
      fr: 'Les identifiants du serveur source ne sont plus enregistrés (la migration a été oubliée, ou le trousseau a été réinitialisé) : reconnectez-vous au serveur dans l’assistant.',
    });
  }
  const stored = parsed.data;
  switch (stored.method) {
    case 'password':
      return { method: 'password', passwordSecret: secretKeys.p2vSourcePassword(credentialId) };
    case 'key-file':
      return {
        method: 'key-file',
        privateKeyPath: stored.privateKeyPath,
        ...(stored.passphrase ? { passphraseSecret: secretKeys.p2vSourcePassphrase(credentialId) } : {}),
      };
    case 'agent':
      return { method: 'agent' };
  }
}

/** Deletes everything stored for a credential id. */
export async function forgetSourceCredential(secrets: SecretStore, credentialId: string): Promise<void> {
  await secrets.deleteAll(secretKeys.p2vSource(credentialId));
}
