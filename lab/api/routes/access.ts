import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { actorName, type Actor } from '../../cluster/acl';
import { ALL_PRIVILEGES, type Privilege } from '../../cluster/roles';
import type { ClusterServices } from '../../cluster/services';
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
});

/** The areas of PVE's `cap` answer and which privileges each reports. */
const CAP_AREAS: Record<string, { paths: RegExp; privileges: RegExp }> = {
  vms: { paths: /^\/(vms|pool)(\/|$)/, privileges: /^(VM\.|Permissions\.Modify)/ },
  storage: { paths: /^\/(storage|pool)(\/|$)/, privileges: /^(Datastore\.|Permissions\.Modify)/ },
  access: { paths: /^\/access(\/|$)/, privileges: /^(User\.Modify|Group\.Allocate|Realm\.|Permissions\.Modify)/ },
  nodes: { paths: /^\/nodes(\/|$)/, privileges: /^(Sys\.|Permissions\.Modify)/ },
  dc: { paths: /^\/$/, privileges: /^(Sys\.Audit|Sys\.Modify|SDN\.|Pool\.|Mapping\.|Permissions\.Modify)/ },
  sdn: { paths: /^\/sdn(\/|$)/, privileges: /^(SDN\.|Permissions\.Modify)/ },
  mapping: { paths: /^\/mapping(\/|$)/, privileges: /^(Mapping\.|Permissions\.Modify)/ },
};

/** PVE's compute_api_permission: per area, what the user holds at its root or anywhere below it. */
export function capabilities(lab: ClusterServices, actor: Actor): Record<string, Record<string, 1>> {
  const aclPaths = actor.userid === 'root@pam' ? [] : lab.acl.pathsOf(actor);
  const out: Record<string, Record<string, 1>> = {};
  for (const [area, spec] of Object.entries(CAP_AREAS)) {
    const root = area === 'dc' ? '/' : area === 'vms' ? '/vms' : `/${area}`;
    const paths = [root, ...aclPaths.filter((p) => spec.paths.test(p))];
    const privileges: Record<string, 1> = {};
    for (const path of paths) for (const p of lab.acl.privileges(actor, path)) if (spec.privileges.test(p)) privileges[p] = 1;
    out[area] = privileges;
  }
  return out;
}

function fullTicketAnswer(ctx: RequestContext, userid: string): Record<string, unknown> {
  const lab = ctx.lab;
  const actor = { userid };
  const answer: Record<string, unknown> = {
    username: userid,
    ticket: lab.signer.assemble('PVE', userid),
    CSRFPreventionToken: lab.signer.csrfToken(userid),
    cap: capabilities(lab, actor),
  };
  if (lab.acl.has(actor, '/', 'Sys.Audit')) answer.clustername = lab.model.name;
  return answer;
}

async function createTicket(ctx: RequestContext): Promise<unknown> {
  const lab = ctx.lab;
  if (credentials(ctx.request).apiToken) throw new ApiError(401, 'API tokens cannot be used to obtain a ticket');
  const args = parseArgs(ticketArgs, ctx.args);
  const userid = args.username.includes('@') || !args.realm ? args.username : `${args.username}@${args.realm}`;
  const fail = async (): Promise<never> => {
    await sleep(lab.authFailureDelayMs);
    throw authFailure();
  };
  if (!/^[^\s:@/]+@(pam|pve)$/.test(userid)) return fail();

  // Second step of two-factor login: the partial ticket is bound to the user through its signature.
  const challenge = args['tfa-challenge'];
  if (challenge) {
    const verified = lab.signer.verify(challenge, 'PVE', Math.min(lab.ticketLifetimeSeconds, 300), userid);
    if (!verified?.data.startsWith('!tfa!') || !lab.accounts.checkSecondFactor(userid, args.password)) return fail();
    return fullTicketAnswer(ctx, userid);
  }

  // Renewal: a valid full ticket of the same user in place of the password.
  if (args.password.startsWith('PVE:')) {
    if (verifyUserTicket(lab, args.password) !== userid) return fail();
    return fullTicketAnswer(ctx, userid);
  }

  const user = lab.accounts.checkPassword(userid, args.password);
  if (!user) return fail();
  if (user.totpSecret) {
    if (args.otp) {
      if (!lab.accounts.checkSecondFactor(userid, `totp:${args.otp}`)) return fail();
      return fullTicketAnswer(ctx, userid);
    }
    const tfa: Record<string, unknown> = { totp: true };
    if (lab.accounts.remainingRecoveryKeys(userid) > 0) tfa.recovery = 'available';
    const data = `!tfa!${JSON.stringify(tfa).replace(/:/g, '%3A')}`;
    return { username: userid, ticket: lab.signer.assemble('PVE', data, userid), CSRFPreventionToken: lab.signer.csrfToken(userid), NeedTFA: 1 };
  }
  return fullTicketAnswer(ctx, userid);
}

const permissionArgs = z.object({ path: z.string().optional(), userid: z.string().optional() });

function permissions(ctx: RequestContext): unknown {
  const args = parseArgs(permissionArgs, ctx.args);
  let actor: Actor = ctx.who;
  if (args.userid && args.userid !== actorName(ctx.who)) {
    // Asking about someone else needs Sys.Audit on /access, as in PVE.
    ctx.require('/access', 'Sys.Audit');
    const [userid, tokenid] = args.userid.split('!');
    actor = tokenid ? { userid: userid ?? '', tokenid: args.userid } : { userid: userid ?? '' };
  }
  const lab = ctx.lab;
  let paths: string[];
  if (args.path) paths = [args.path];
  else {
    const base = ['/', '/access', '/nodes', '/storage', '/vms', '/pool', '/sdn', '/mapping'];
    const fromAcl = lab.acl.pathsOf(actor);
    // Members of a pool the user has rights on are listed with their own path, so the client can decide per guest.
    const poolMembers = fromAcl.flatMap((p) => {
      const pool = /^\/pool\/(.+)$/.exec(p)?.[1];
      return pool ? lab.model.poolMembers(pool).map((g) => `/vms/${g.vmid}`) : [];
    });
    paths = [...new Set([...base, ...fromAcl, ...poolMembers])];
  }
  const token = actor.tokenid ? lab.accounts.tokens.get(actor.tokenid) : undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const path of paths) {
    const privileges = lab.acl.privileges(actor, path, token ? { privsep: token.privsep } : undefined);
    if (privileges.size === 0 && args.path === undefined) continue;
    const entry: Record<string, number> = {};
    for (const p of ALL_PRIVILEGES) if (privileges.has(p as Privilege)) entry[p] = 1;
    out[path] = entry;
  }
  return out;
}

const tokenArgs = z.object({ privsep: pveBool.optional(), comment: z.string().max(1024).optional(), expire: pveInt(0).optional() });

/** Tokens of a user: the user themselves, or User.Modify on /access/groups, as PVE checks. */
function requireTokenOwner(ctx: RequestContext, userid: string): void {
  if (ctx.who.tokenid) throw new ApiError(403, 'Permission check failed (API tokens cannot manage tokens)');
  if (ctx.who.userid !== userid) ctx.require('/access/groups', 'User.Modify');
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
  { method: 'POST', pattern: '/access/users/{userid}/token/{tokenid}', handler: createToken },
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
  { method: 'POST', pattern: '/access/ticket', anonymous: true, handler: createTicket },
  {
    method: 'GET',
    pattern: '/access/domains',
    anonymous: true,
    handler: () => [
      { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
      { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: 1 },
    ],
  },
  { method: 'GET', pattern: '/access/permissions', handler: permissions },
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
