import type { Sentence } from '../../../../shared/text/sentence';
import type { Logger } from '../../log';
import { versionCall } from '../api/access';
import type { PveClientEvent } from '../client-events';
import { PveError, isPveError } from '../errors';
import type { ApiTransport, CallLimits } from '../http/api-transport';
import { isValidTokenId, type CredentialsProvider, type PveSessionInfo } from './auth-method';
import type { Authenticator } from './authenticator';
import type { LoginResult } from './login-result';

/**
 * API token logins: no ticket, no CSRF token, no renewal; every call carries
 * `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`. The secret is held
 * for the life of the session because it is the session, as a ticket would
 * be; it is never logged or put in a message.
 */
export class TokenAuthenticator implements Authenticator {
  generation = 0;
  private secret: string | undefined;
  private refresh: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      transport: ApiTransport;
      tokenId: string;
      credentials: CredentialsProvider;
      logger: Logger;
      emit: (event: PveClientEvent) => void;
    },
  ) {
    if (!isValidTokenId(deps.tokenId)) {
      throw new TypeError('An API token id has the form USER@REALM!TOKENID, such as alice@pve!desk.');
    }
  }

  /** Checks the token (the typed secret, or the stored one) with a call any token may make. */
  async login(secret: string | undefined, limits: CallLimits = {}): Promise<LoginResult> {
    const candidate = secret ?? (await this.deps.credentials());
    if (candidate === undefined) {
      const text: Sentence = {
        en: `No secret is stored for the API token ${this.deps.tokenId}; enter it to connect.`,
        fr: `Aucun secret n’est enregistré pour le jeton d’API ${this.deps.tokenId} ; saisissez-le pour vous connecter.`,
      };
      throw new PveError('AUTH_FAILED', text, {});
    }
    try {
      await this.deps.transport.send(versionCall(), this.headersWith(candidate), limits);
    } catch (error) {
      if (isPveError(error, 'AUTH_FAILED')) throw this.refused(error.details.endpoint);
      throw error;
    }
    this.secret = candidate;
    this.generation += 1;
    this.deps.logger.info('pve.logged-in', { userid: this.deps.tokenId, method: 'token' });
    return { kind: 'ok', session: this.sessionInfo() };
  }

  headers(): Record<string, string> | undefined {
    return this.secret === undefined ? undefined : this.headersWith(this.secret);
  }

  info(): PveSessionInfo | undefined {
    return this.secret === undefined ? undefined : this.sessionInfo();
  }

  /** After a 401: the stored secret may have been replaced since; anything else means the token is gone. */
  reauthenticate(): Promise<void> {
    this.refresh ??= this.reloadSecret().finally(() => {
      this.refresh = undefined;
    });
    return this.refresh;
  }

  forget(): void {
    this.secret = undefined;
    this.generation += 1;
  }

  private async reloadSecret(): Promise<void> {
    const stored = await this.deps.credentials();
    if (stored === undefined || stored === this.secret) {
      const error = this.refused();
      this.forget();
      this.deps.emit({ type: 'session-lost', error });
      throw error;
    }
    this.secret = stored;
    this.generation += 1;
  }

  private headersWith(secret: string): Record<string, string> {
    return { Authorization: `PVEAPIToken=${this.deps.tokenId}=${secret}` };
  }

  private sessionInfo(): PveSessionInfo {
    return { userid: this.deps.tokenId, authKind: 'token' };
  }

  private refused(endpoint?: string): PveError<'AUTH_FAILED'> {
    return new PveError(
      'AUTH_FAILED',
      {
        en: `The API token ${this.deps.tokenId} was refused: the secret is wrong, or the token was removed or has expired. Create a new token in PVE and enter its secret.`,
        fr: `Le jeton d’API ${this.deps.tokenId} a été refusé : le secret est erroné, ou le jeton a été supprimé ou a expiré. Créez un nouveau jeton dans PVE et saisissez son secret.`,
      },
      endpoint !== undefined ? { endpoint } : {},
    );
  }
}
