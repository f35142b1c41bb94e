import type { Sentence } from '../../../../shared/text/sentence';
import type { Logger } from '../../log';
import { ticketCall, type TicketAnswer } from '../api/access';
import type { PveClientEvent } from '../client-events';
import { PveError, isPveError } from '../errors';
import type { ApiTransport, CallLimits } from '../http/api-transport';
import type { HttpMethod } from '../http/exchange';
import type { CredentialsProvider, PveSessionInfo } from './auth-method';
import type { Authenticator } from './authenticator';
import type { LoginResult } from './login-result';
import { secondFactorKinds, secondFactorPassword, type SecondFactorAnswer } from './second-factor';

interface TicketSession {
  userid: string;
  ticket: string;
  csrfToken: string;
  info: PveSessionInfo;
}

type TicketStep = 'password' | 'second-factor' | 'stored-password' | 'renewal';

/**
 * Password logins: the ticket and CSRF token, renewed together on a timer
 * (PVE's web UI renews every 15 minutes; tickets live 2 hours), the
 * second-factor step, and the transparent re-login with the stored password.
 * The password is fetched from `credentials()` for each login and dropped
 * when the call returns.
 */
export class TicketAuthenticator implements Authenticator {
  generation = 0;
  private session: TicketSession | undefined;
  private relogin: Promise<void> | undefined;
  private renewal: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      transport: ApiTransport;
      userid: string;
      credentials: CredentialsProvider;
      renewIntervalMs: number;
      logger: Logger;
      emit: (event: PveClientEvent) => void;
    },
  ) {}

  /** Logs in with the password typed by the user, or the stored one when none is given. */
  async login(password: string | undefined, limits: CallLimits = {}): Promise<LoginResult> {
    const secret = password ?? (await this.deps.credentials());
    if (secret === undefined) {
      const text: Sentence = {
        en: `No password is stored for ${this.deps.userid}; enter it to log in.`,
        fr: `Aucun mot de passe n’est enregistré pour ${this.deps.userid} ; saisissez-le pour vous connecter.`,
      };
      throw new PveError('AUTH_FAILED', text, {});
    }
    const answer = await this.requestTicket('password', { username: this.deps.userid, password: secret }, limits);
    return this.afterAnswer(answer);
  }

  headers(method: HttpMethod): Record<string, string> | undefined {
    const session = this.session;
    if (session === undefined) return undefined;
    const headers: Record<string, string> = { Cookie: `PVEAuthCookie=${encodeURIComponent(session.ticket)}` };
    if (method !== 'GET') headers.CSRFPreventionToken = session.csrfToken;
    return headers;
  }

  info(): PveSessionInfo | undefined {
    return this.session?.info;
  }

  reauthenticate(limits: CallLimits = {}): Promise<void> {
    this.relogin ??= this.loginWithStoredPassword(limits).finally(() => {
      this.relogin = undefined;
    });
    return this.relogin;
  }

  /** Renews ticket and CSRF token together; on a refused ticket falls back to the stored password. */
  renew(): Promise<void> {
    this.renewal ??= this.renewOnce().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  forget(): void {
    this.session = undefined;
    this.generation += 1;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private afterAnswer(answer: TicketAnswer): LoginResult {
    if (answer.NeedTFA !== true) {
      this.adopt(answer);
      this.deps.logger.info('pve.logged-in', { userid: answer.username });
      return { kind: 'ok', session: this.requireInfo() };
    }
    const partialTicket = answer.ticket;
    const username = answer.username;
    const kinds = secondFactorKinds(partialTicket);
    return {
      kind: 'second-factor',
      kinds,
      continue: async (factor: SecondFactorAnswer, limits: CallLimits = {}) => {
        if (!kinds.includes(factor.kind)) {
          const offered = kinds.join(', ');
          const text: Sentence = {
            en: `This account does not offer ${factor.kind} as a second factor; use one of: ${offered}.`,
            fr: `Ce compte ne propose pas ${factor.kind} comme second facteur ; utilisez l’un de ceux-ci : ${offered}.`,
          };
          throw new PveError('AUTH_FAILED', text, {});
        }
        const second = await this.requestTicket('second-factor', { username, password: secondFactorPassword(factor), tfaChallenge: partialTicket }, limits);
        if (second.NeedTFA === true) {
          const text: Sentence = {
            en: 'The server asked for a second factor again after accepting one.',
            fr: 'Le serveur a redemandé un second facteur après en avoir accepté un.',
          };
          throw new PveError('BAD_RESPONSE', text, { call: 'POST /access/ticket', problem: 'second factor requested twice' });
        }
        return this.afterAnswer(second);
      },
    };
  }

  private adopt(answer: TicketAnswer): void {
    if (answer.CSRFPreventionToken === undefined) {
      const text: Sentence = {
        en: 'The login answer has no CSRF token, so no change could be made with this session.',
        fr: 'La réponse de connexion ne contient pas de jeton CSRF : aucune modification ne pourrait être faite avec cette session.',
      };
      throw new PveError('BAD_RESPONSE', text, { call: 'POST /access/ticket', problem: 'CSRFPreventionToken missing' });
    }
    // Ticket and CSRF token are replaced in one assignment: a call never mixes old and new.
    this.session = {
      userid: answer.username,
      ticket: answer.ticket,
      csrfToken: answer.CSRFPreventionToken,
      info: {
        userid: answer.username,
        authKind: 'ticket',
        capabilities: answer.cap ?? {},
        ...(answer.clustername !== undefined ? { clusterName: answer.clustername } : {}),
      },
    };
    this.generation += 1;
    this.startRenewalTimer();
  }

  private requireInfo(): PveSessionInfo {
    const info = this.session?.info;
    if (info === undefined) throw new Error('No session after a successful login.');
    return info;
  }

  private startRenewalTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.renew(), this.deps.renewIntervalMs);
    // The timer must not keep a closing app (or a finished test) alive.
    this.timer.unref();
  }

  private async loginWithStoredPassword(limits: CallLimits): Promise<void> {
    const password = await this.deps.credentials();
    if (password === undefined) {
      const text: Sentence = {
        en: `The session of ${this.deps.userid} ended and no password is stored; log in again.`,
        fr: `La session de ${this.deps.userid} a pris fin et aucun mot de passe n’est enregistré ; reconnectez-vous.`,
      };
      throw this.lose(new PveError('AUTH_FAILED', text, {}));
    }
    let answer: TicketAnswer;
    try {
      answer = await this.requestTicket('stored-password', { username: this.deps.userid, password }, limits);
    } catch (error) {
      throw isPveError(error, 'AUTH_FAILED') ? this.lose(error) : error;
    }
    if (answer.NeedTFA === true) {
      const kinds = secondFactorKinds(answer.ticket);
      const text: Sentence = {
        en: `The session of ${this.deps.userid} ended; log in again with your second factor.`,
        fr: `La session de ${this.deps.userid} a pris fin ; reconnectez-vous avec votre second facteur.`,
      };
      throw this.lose(new PveError('SECOND_FACTOR_REQUIRED', text, { kinds }));
    }
    this.adopt(answer);
    this.deps.logger.info('pve.relogged-in', { userid: this.deps.userid });
    this.deps.emit({ type: 'relogged-in' });
  }

  private async renewOnce(): Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    try {
      const answer = await this.requestTicket('renewal', { username: session.userid, password: session.ticket });
      if (this.session !== session) return; // logged out or replaced meanwhile
      this.adopt(answer);
      this.deps.logger.debug('pve.session-renewed', { userid: session.userid });
      this.deps.emit({ type: 'session-renewed' });
    } catch (error) {
      const failure = isPveError(error)
        ? error
        : new PveError(
            'BAD_RESPONSE',
            { en: 'Renewing the session failed unexpectedly.', fr: 'Le renouvellement de la session a échoué de façon inattendue.' },
            { call: 'POST /access/ticket', problem: 'unexpected failure' },
            { cause: error },
          );
      if (failure.code === 'AUTH_FAILED') {
        // The ticket expired (the machine slept, or the server's clock jumped): log in again.
        await this.reauthenticate().catch(() => undefined);
        return;
      }
      this.deps.logger.warn('pve.renewal-failed', { userid: session.userid, code: failure.code, message: failure.message });
      this.deps.emit({ type: 'renewal-failed', error: failure });
    }
  }

  private lose(error: PveError): PveError {
    this.forget();
    this.deps.logger.warn('pve.session-lost', { userid: this.deps.userid, code: error.code });
    this.deps.emit({ type: 'session-lost', error });
    return error;
  }

  /** POST /access/ticket; a refusal gets a message that says which step failed. */
  private async requestTicket(
    step: TicketStep,
    fields: { username: string; password: string; tfaChallenge?: string },
    limits: CallLimits = {},
  ): Promise<TicketAnswer> {
    try {
      return await this.deps.transport.send(ticketCall(fields), {}, limits);
    } catch (error) {
      if (!isPveError(error, 'AUTH_FAILED')) throw error;
      throw new PveError('AUTH_FAILED', refusalMessage(step, fields.username), error.details);
    }
  }
}

function refusalMessage(step: TicketStep, userid: string): Sentence {
  switch (step) {
    case 'password':
      return {
        en: `Login refused for ${userid}: wrong user name, realm or password, or the account is disabled.`,
        fr: `Connexion refusée pour ${userid} : nom d’utilisateur, domaine ou mot de passe erroné, ou compte désactivé.`,
      };
    case 'second-factor':
      return {
        en: `The second factor for ${userid} was refused: check the code (and the clock of the device that makes it) and try again.`,
        fr: `Le second facteur de ${userid} a été refusé : vérifiez le code (et l’horloge de l’appareil qui le génère), puis réessayez.`,
      };
    case 'stored-password':
      return {
        en: `The stored password for ${userid} was refused; it may have been changed. Log in again.`,
        fr: `Le mot de passe enregistré pour ${userid} a été refusé ; il a peut-être été changé. Reconnectez-vous.`,
      };
    case 'renewal':
      return {
        en: `The session of ${userid} could not be renewed; log in again.`,
        fr: `La session de ${userid} n’a pas pu être renouvelée ; reconnectez-vous.`,
      };
  }
}
