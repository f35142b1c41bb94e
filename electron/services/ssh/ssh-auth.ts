// ssh2 is CommonJS and Node's ESM loader cannot see `utils` as a named export: take it off the default export.
import ssh2, { type AuthenticationType, type ConnectConfig } from 'ssh2';
import type { SecretStore } from '../secrets';
import { readPrivateKeyFile, unusableKeyFile } from './private-key-file';
import { SshError } from './ssh-error';

/**
 * How to log in. Secrets are named by their SecretStore key, never carried
 * here, so a target can be logged or compared without leaking anything.
 */
export type SshAuth =
  | { method: 'key-file'; privateKeyPath: string; /** e.g. `ssh/<id>/passphrase`; absent for an unencrypted key. */ passphraseSecret?: string }
  | { method: 'agent'; /** Defaults to $SSH_AUTH_SOCK. */ socketPath?: string }
  | { method: 'password'; /** e.g. `ssh/<id>/password`. */ passwordSecret: string };

export type AuthConfig = Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'agent' | 'password'> & {
  authHandler: AuthenticationType[];
};

/**
 * Turns the auth settings into ssh2 options, reading the key file and the
 * secrets now, so that a missing file or secret fails before any network
 * traffic with an error that says which one.
 */
export async function resolveAuth(auth: SshAuth, secrets: SecretStore, env: NodeJS.ProcessEnv): Promise<AuthConfig> {
  switch (auth.method) {
    case 'key-file':
      return resolveKeyFile(auth.privateKeyPath, auth.passphraseSecret, secrets);
    case 'agent': {
      const agent = auth.socketPath ?? env.SSH_AUTH_SOCK;
      if (agent === undefined || agent === '') {
        throw new SshError('NO_AGENT', {
          en: 'SSH agent authentication is selected but no agent is running (SSH_AUTH_SOCK is not set): start ssh-agent and add your key with ssh-add, or choose a key file.',
          fr: 'L’authentification par agent SSH est choisie, mais aucun agent n’est lancé (SSH_AUTH_SOCK n’est pas défini) : démarrez ssh-agent et ajoutez-y votre clé avec ssh-add, ou choisissez un fichier de clé.',
        });
      }
      return { agent, authHandler: ['agent'] };
    }
    case 'password': {
      const password = await secrets.get(auth.passwordSecret);
      if (password === undefined) {
        throw new SshError('SECRET_MISSING', {
          en: `No SSH password is stored (${auth.passwordSecret}): enter it in the connection's SSH settings.`,
          fr: `Aucun mot de passe SSH n’est enregistré (${auth.passwordSecret}) : saisissez-le dans les réglages SSH de la connexion.`,
        });
      }
      return { password, authHandler: ['password'] };
    }
  }
}

async function resolveKeyFile(path: string, passphraseSecret: string | undefined, secrets: SecretStore): Promise<AuthConfig> {
  const privateKey = await readPrivateKeyFile(path);
  const passphrase = passphraseSecret === undefined ? undefined : await secrets.get(passphraseSecret);
  // Parse here rather than letting ssh2's connect() throw, to tell "no passphrase" from "wrong passphrase".
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) {
      throw new SshError('KEY_UNUSABLE', {
        en: `The private key ${path} is encrypted and no passphrase is stored for it: enter the passphrase in the SSH settings.`,
        fr: `La clé privée ${path} est chiffrée et aucune phrase de passe n’est enregistrée pour elle : saisissez la phrase de passe dans les réglages SSH.`,
      });
    }
    if (/passphrase|integrity check failed|bad decrypt/i.test(parsed.message)) {
      throw new SshError('KEY_UNUSABLE', {
        en: `The passphrase stored for the private key ${path} is wrong: enter it again in the SSH settings.`,
        fr: `La phrase de passe enregistrée pour la clé privée ${path} est incorrecte : saisissez-la de nouveau dans les réglages SSH.`,
      });
    }
    // The same answer as a missing file: what a path holds is not for the caller to learn.
    throw unusableKeyFile(path, parsed);
  }
  return { privateKey, ...(passphrase === undefined ? {} : { passphrase }), authHandler: ['publickey'] };
}
