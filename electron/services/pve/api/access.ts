import { z } from 'zod';
import type { ApiCall } from './api-call';
import type { PermissionMap } from '../../../../shared/domain/permissions';
import { pveBoolean, privilegeFlags, privilegeMap } from '../../../../shared/pve/values';

const versionData = z.object({
  version: z.string(),
  release: z.string(),
  repoid: z.string(),
  console: z.string().optional(),
});
export type PveVersion = z.infer<typeof versionData>;

export function versionCall(): ApiCall<PveVersion> {
  return { method: 'GET', path: '/version', name: 'GET /version', authenticated: true, data: versionData };
}

const realmData = z.array(
  z.object({
    realm: z.string(),
    type: z.string(),
    comment: z.string().optional(),
    default: pveBoolean.optional(),
    /** Second factor the realm enforces (`oath`, `yubico`), when any. */
    tfa: z.string().optional(),
  }),
);
export type PveRealm = z.infer<typeof realmData>[number];

/** Realms for the login form; PVE answers it without a session. */
export function domainsCall(): ApiCall<PveRealm[]> {
  return { method: 'GET', path: '/access/domains', name: 'GET /access/domains', authenticated: false, data: realmData };
}

/** Privileges per area (`vms`, `storage`, `nodes`, `dc`, `access`, `sdn`, `mapping`), what PVE's UI hides things by. */
export type Capabilities = Record<string, string[]>;

const ticketData = z.object({
  username: z.string(),
  ticket: z.string().min(1),
  CSRFPreventionToken: z.string().optional(),
  cap: z.record(z.string(), privilegeMap).optional(),
  clustername: z.string().optional(),
  NeedTFA: pveBoolean.optional(),
});
export type TicketAnswer = z.infer<typeof ticketData>;

/**
 * `POST /access/ticket`, in all its uses: password login, the second step of
 * a two-factor login, and renewal (the current ticket as password).
 */
export function ticketCall(fields: { username: string; password: string; tfaChallenge?: string }): ApiCall<TicketAnswer> {
  return {
    method: 'POST',
    path: '/access/ticket',
    name: 'POST /access/ticket',
    authenticated: false,
    form: { username: fields.username, password: fields.password, 'tfa-challenge': fields.tfaChallenge },
    data: ticketData,
  };
}

const permissionsData = z.record(z.string(), privilegeFlags);
export type { PermissionMap };

export function permissionsCall(options: { path?: string; userid?: string } = {}): ApiCall<PermissionMap> {
  return {
    method: 'GET',
    path: '/access/permissions',
    name: 'GET /access/permissions',
    authenticated: true,
    query: { path: options.path, userid: options.userid },
    data: permissionsData,
  };
}
