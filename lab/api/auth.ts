import type { IncomingMessage } from 'node:http';
import type { Actor, TokenInfo } from '../cluster/acl';
import type { ClusterServices } from '../cluster/services';
import { authFailure } from './errors';

export interface Authenticated {
  actor: Actor;
  token?: TokenInfo;
  /** Ticket-authenticated requests need a CSRF token on writes; token requests don't. */
  viaTicket: boolean;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The credentials a request carries: PVEAuthCookie (cookie or Authorization header) or a PVEAPIToken. */
export function credentials(request: IncomingMessage): { ticket?: string; apiToken?: string } {
  const authorization = request.headers.authorization ?? '';
  const token = /^PVEAPIToken[= ](\S+)$/.exec(authorization);
  if (token?.[1]) return { apiToken: token[1] };
  const headerTicket = /^PVEAuthCookie=(\S+)$/.exec(authorization);
  if (headerTicket?.[1]) return { ticket: decodeURIComponent(headerTicket[1]) };
  const cookie = cookieValue(request.headers.cookie, 'PVEAuthCookie');
  return cookie ? { ticket: cookie } : {};
}

/** Verifies a full (not partial TFA) user ticket; returns the user id. */
export function verifyUserTicket(lab: ClusterServices, ticket: string): string | undefined {
  const verified = lab.signer.verify(ticket, 'PVE', lab.ticketLifetimeSeconds);
  if (!verified || verified.data.startsWith('!tfa!')) return undefined;
  const user = lab.accounts.users.get(verified.data);
  return user?.enable ? user.userid : undefined;
}

/**
 * PVE's auth handler (pve-manager PVE/HTTPServer.pm auth_handler): token, or
 * ticket plus CSRF token on every non-GET request. Its refusals are 401s whose
 * reason is only in the status line: "No ticket", "Authentication failed!"
 * (any bad ticket or token, saying no more), or the CSRF check's text.
 */
export function authenticate(lab: ClusterServices, request: IncomingMessage, method: string): Authenticated {
  const { ticket, apiToken } = credentials(request);
  if (apiToken) {
    const m = /^([^!=\s]+@[^!=\s]+)!([^=\s]+)=(\S+)$/.exec(apiToken);
    if (!m) throw authFailure('Authentication failed!');
    const tokenid = `${m[1]}!${m[2]}`;
    const token = lab.accounts.checkToken(tokenid, m[3] ?? '');
    if (!token) throw authFailure('Authentication failed!');
    return { actor: { userid: m[1] ?? '', tokenid }, token: { privsep: token.privsep }, viaTicket: false };
  }
  if (!ticket) throw authFailure('No ticket');
  const userid = verifyUserTicket(lab, ticket);
  if (!userid) throw authFailure('Authentication failed!');
  if (method !== 'GET') {
    const csrf = request.headers['csrfpreventiontoken'];
    const value = Array.isArray(csrf) ? csrf[0] : csrf;
    if (!value || !lab.signer.verifyCsrf(value, userid, lab.ticketLifetimeSeconds)) throw authFailure('Permission denied - invalid csrf token');
  }
  return { actor: { userid }, viaTicket: true };
}
