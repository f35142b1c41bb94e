import type { CallLimits } from '../http/api-transport';
import type { HttpMethod } from '../http/exchange';
import type { PveSessionInfo } from './auth-method';

/** What the client needs from a login method to authenticate its calls. */
export interface Authenticator {
  /** Headers that authenticate a call, or undefined when there is no session yet. */
  headers(method: HttpMethod): Record<string, string> | undefined;
  /** Changes whenever the credentials in use change (login, renewal, re-login). */
  readonly generation: number;
  /**
   * Gets a fresh session with the stored credentials, without the user: the
   * transparent re-login after a 401. Concurrent callers share one attempt.
   */
  reauthenticate(limits?: CallLimits): Promise<void>;
  info(): PveSessionInfo | undefined;
  /** Drops the session and stops any timer. */
  forget(): void;
}
