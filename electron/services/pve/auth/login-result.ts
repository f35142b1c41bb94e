import type { CallLimits } from '../http/api-transport';
import type { PveSessionInfo } from './auth-method';
import type { SecondFactorAnswer, SecondFactorKind } from './second-factor';

/**
 * The outcome of a login: a session, or the second step of a two-factor
 * login. `continue` may be called again after a wrong code, as long as the
 * server still accepts the challenge (a few minutes).
 */
export type LoginResult =
  | { kind: 'ok'; session: PveSessionInfo }
  | {
      kind: 'second-factor';
      /** The factors the account offers, in PVE's terms. */
      kinds: SecondFactorKind[];
      continue(answer: SecondFactorAnswer, limits?: CallLimits): Promise<LoginResult>;
    };
