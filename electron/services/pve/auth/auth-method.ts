import { tokenIdPattern } from '../../../../shared/domain/connections';
import type { Capabilities } from '../api/access';

/** How a profile logs in. The secret itself (password or token secret) comes from the injected `credentials()`. */
export type PveAuthMethod =
  /** `username` without the realm (`alice` + `pve`), or already a full user id (`alice@pve`). */
  | { kind: 'password'; username: string; realm: string }
  /** `USER@REALM!TOKENID`, as PVE shows it in Datacenter → API Tokens. */
  | { kind: 'token'; tokenId: string };

/**
 * Gives the stored password (password method) or token secret (token
 * method), or undefined when none is stored. Called when one is needed and
 * never cached by the client for password logins.
 */
export type CredentialsProvider = () => Promise<string | undefined>;

/** What the app may know about a session: no ticket, no token, no secret. */
export interface PveSessionInfo {
  /** `alice@pve`, or the token id `alice@pve!ci` for token logins (PVE's acting user). */
  userid: string;
  authKind: 'ticket' | 'token';
  /** Present when the user holds Sys.Audit on `/`. */
  clusterName?: string;
  /** From the ticket answer; token logins have none, use `getPermissions()`. */
  capabilities?: Capabilities;
}

export function userIdOf(method: PveAuthMethod): string {
  if (method.kind === 'token') return method.tokenId;
  return method.username.includes('@') ? method.username : `${method.username}@${method.realm}`;
}

export function isValidTokenId(tokenId: string): boolean {
  return tokenIdPattern.test(tokenId);
}
