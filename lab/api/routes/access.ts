import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { actorName, type Actor } from '../../cluster/acl';
import { apiCapabilities, effectivePermissions, pathPermissions } from '../../cluster/permission-reports';
import { credentials, verifyUserTicket } from '../auth';
import type { RequestContext, Route } from '../context';
import { ApiError, authFailure, parameterError } from '../errors';
import { parseArgs, pveBool, pveInt } from '../params';

const ticketArgs = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1),
  realm: z.string().optional(),
  otp: z.string().optional(),
  'tfa-challenge': z.string().optional(),
  path: z.string().optional(),
  privs: z.string().optional(),
  /** Ignored since PVE 8, still sent by its web UI. */
  'new-format': pveBool.optional(),
});

/** What every successful answer carries: PVE adds `clustername` for users with Sys.Audit on `/`, with or without `NeedTFA`. */
function ticketAnswer(ctx: RequestContext, userid: string, ticketData: string, partial: boolean): Record<string, unknown> {
  const lab = ctx.lab;
  const actor = { userid };
  const answer: Record<string, unknown> = {
    username: userid,
    ticket: partial ? lab.signer.assemble('PVE', ticketData, userid) : lab.signer.assemble('PVE', ticketData),
    CSRFPreventionToken: lab.signer.csrfToken(userid),
  };
  if (partial) answer.NeedTFA = 1;
  else answer.cap = apiCapabilities(lab.acl, actor);
  if (lab.acl.has(actor, '/', 'Sys.Audit')) answer.clustername = lab.model.name;
  return answer;
}

/** The challenge a partial ticket carries (proxmox-tfa's TfaChallenge): `recovery` lists the unused keys' indices. */
function tfaChallengeData(lab: RequestContext['lab'], userid: string): string {
  const challenge = { totp: true, recovery: lab.accounts.unusedRecoveryKeyIndices(userid) };
  return `!tfa!${JSON.stringify(challenge).replace(/:/g, '%3A')}`;
}

/**
 * PVE's create_ticket (pve-access-control PVE/API2/AccessControl.pm with
 * authenticate_user and authenticate_2nd_new of PVE/AccessControl.pm).
 * Every refusal is the same 401 "authentication failure", so nothing tells
 * which part was wrong.
 */
async function createTicket(ctx: RequestContext): Promise<unknown> {
  const lab = ctx.lab;
  // pveproxy refuses API tokens on methods that do not allow them, before the method runs.
  if (credentials(ctx.request).apiToken)
    throw new ApiError(403, "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.\n)");
  const args = parseArgs(ticketArgs, ctx.args);
  const userid = args.realm ? `${args.username}@${args.realm}` : args.username;
  const fail = async (): Promise<never> => {
    await sleep(lab.authFailureDelayMs);
    throw authFailure();
  };
  if (!/^[^\s:@/]+@(pam|pve)$/.test(userid) || !lab.accounts.users.get(userid)?.enable) return fail();
  const challenge = args['tfa-challenge'];
  if (challenge !== undefined && args.otp !== undefined) return fail();

  // Second step of two-factor login: the partial ticket is bound to the user through its signature.
  if (challenge !== undefined) {
    const verified = lab.signer.verify(challenge, 'PVE', Math.min(lab.ticketLifetimeSeconds, 300), userid);
    if (!verified?.data.startsWith('!tfa!') || !lab.accounts.checkSecondFactor(userid, args.password)) return fail();
    return ticketAnswer(ctx, userid, userid, false);
  }

  // Renewal: a valid full ticket of the same user (root@pam's renews anyone's) in place of the password.
  const ticketUser = args.password.startsWith('PVE:') ? verifyUserTicket(lab, args.password) : undefined;
  if (ticketUser !== undefined && (ticketUser === userid || ticketUser === 'root@pam')) return ticketAnswer(ctx, userid, userid, false);

  const user = lab.accounts.checkPassword(userid, args.password);
  if (!user) return fail();
  if (!user.totpSecret) return args.otp === undefined ? ticketAnswer(ctx, userid, userid, false) : fail();
  // A one-step `otp` is checked (prefixed as in the second step: `totp:123456`), yet PVE still answers
  // with the challenge, as authenticate_2nd_new_do returns it after verifying.
  if (args.otp !== undefined && !lab.accounts.checkSecondFactor(userid, args.otp)) return fail();
  return ticketAnswer(ctx, userid, tfaChallengeData(lab, userid), true);
}

const permissionArgs = z.object({ path: z.string().optional(), userid: z.string().optional() });

/** PVE's permissions method: one's own (or an owned token's), or anyone's with Sys.Audit on /access. */
function permissions(ctx: RequestContext): unknown {
  const args = parseArgs(permissionArgs, ctx.args);
  let actor: Actor = ctx.who;
  if (args.userid && args.userid !== actorName(ctx.who)) {
    const [userid, tokenid] = args.userid.split('!');
    if (!(tokenid && userid === ctx.who.userid && !ctx.who.tokenid)) ctx.require('/access', 'Sys.Audit');
    actor = tokenid ? { userid: userid ?? '', tokenid: args.userid } : { userid: userid ?? '' };
  }
  const lab = ctx.lab;
  const token = actor.tokenid ? lab.accounts.tokens.get(actor.tokenid) : undefined;
  if (actor.tokenid && !token) return args.path ? { [args.path]: {} } : {};
  const tokenInfo = token ? { privsep: token.privsep } : undefined;
  return args.path ? pathPermissions(lab.acl, actor, args.path, tokenInfo) : effectivePermissions(lab.acl, lab.model, actor, tokenInfo);
}

const tokenArgs = z.object({ privsep: pveBool.optional(), comment: z.string().max(1024).optional(), expire: pveInt(0).optional() });

/** Tokens of a user: the user themselves, or User.Modify on /access/groups (the lab has no groups), as PVE checks. */
function requireTokenOwner(ctx: RequestContext, userid: string): void {
  // PVE's check: ['userid-param', 'self'] or ['userid-group', ['User.Modify']]; a token is never its user's "self".
  if (actorName(ctx.who) !== userid) ctx.require('/access/groups', 'User.Modify');
  if (!ctx.lab.accounts.users.has(userid)) throw new ApiError(500, `no such user ('${userid}')`);
}

function createToken(ctx: RequestContext): unknown {
  const userid = ctx.param('userid');
  const tokenid = ctx.param('tokenid');
  requireTokenOwner(ctx, userid);
  const args = parseArgs(tokenArgs, ctx.args);
  if (!/^[A-Za-z][A-Za-z0-9.\-_]+$/.test(tokenid)) throw parameterError({ tokenid: 'invalid format - invalid API token identifier' });
  const full = `${userid}!${tokenid}`;
  if (ctx.lab.accounts.tokens.has(full)) throw new ApiError(500, `Token already exists.`);
  const secret = randomUUID();
  ctx.lab.accounts.tokens.set(full, { tokenid: full, secret, privsep: args.privsep ?? true, comment: args.comment ?? '' });
  return { 'full-tokenid': full, info: { privsep: (args.privsep ?? true) ? 1 : 0, comment: args.comment ?? '' }, value: secret };
}

function deleteToken(ctx: RequestContext): unknown {
  const userid = ctx.param('userid');
  requireTokenOwner(ctx, userid);
  if (!ctx.lab.accounts.revokeToken(`${userid}!${ctx.param('tokenid')}`))
    throw new ApiError(500, `no such token '${ctx.param('tokenid')}' for user '${userid}'`);
  return null;
}

export const accessRoutes: Route[] = [
  { method: 'POST', pattern: '/access/users/{userid}/token/{tokenid}', handler: createToken, params: tokenArgs },
  { method: 'DELETE', pattern: '/access/users/{userid}/token/{tokenid}', handler: deleteToken },
  {
    method: 'GET',
    pattern: '/access/users/{userid}/token',
    handler: (ctx) => {
      const userid = ctx.param('userid');
      requireTokenOwner(ctx, userid);
      return [...ctx.lab.accounts.tokens.values()]
        .filter((t) => t.tokenid.startsWith(`${userid}!`))
        .map((t) => ({ tokenid: t.tokenid.split('!')[1], privsep: t.privsep ? 1 : 0, comment: t.comment }));
    },
  },
  { method: 'GET', pattern: '/access', handler: () => ['ticket', 'domains', 'permissions', 'users', 'acl'].map((subdir) => ({ subdir })) },
  { method: 'GET', pattern: '/access/ticket', anonymous: true, handler: () => null },
  { method: 'POST', pattern: '/access/ticket', anonymous: true, handler: createTicket, params: ticketArgs },
  {
    method: 'GET',
    pattern: '/access/domains',
    anonymous: true,
    handler: () => [
      { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
      { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: 1 },
    ],
  },
  { method: 'GET', pattern: '/access/permissions', handler: permissions, params: permissionArgs },
  {
    method: 'GET',
    pattern: '/access/users',
    handler: (ctx) =>
      [...ctx.lab.accounts.users.values()]
        .filter((u) => ctx.can('/access/groups', 'User.Modify') || ctx.can('/access', 'Sys.Audit') || u.userid === ctx.who.userid)
        .map((u) => ({
          userid: u.userid,
          enable: u.enable ? 1 : 0,
          comment: u.comment,
          'realm-type': u.userid.split('@')[1],
          tfa_locked_until: undefined,
          totp_locked: 0,
          keys: u.totpSecret ? 'x' : undefined,
        })),
  },
  {
    method: 'GET',
    pattern: '/access/acl',
    handler: (ctx) => {
      ctx.require('/access', 'Sys.Audit');
      return ctx.lab.acl
        .list()
        .map((e) => ({ path: e.path, ugid: e.ugid, type: e.ugid.includes('!') ? 'token' : 'user', roleid: e.role, propagate: e.propagate ? 1 : 0 }));
    },
  },
];
