import { BUILTIN_ROLES, type Privilege } from './roles';

/** One line of PVE's user.cfg `acl:` section, for a user or an API token. */
export interface AclEntry {
  path: string;
  /** `user@realm` or `user@realm!tokenid`. */
  ugid: string;
  role: string;
  propagate: boolean;
}

/** Where a guest or storage sits in a pool: PVE evaluates `/pool/<p>` as the base for its members. */
export interface PoolLookup {
  poolOfVm(vmid: number): string | undefined;
  poolOfStorage(storage: string): string | undefined;
}

export interface TokenInfo {
  /** With privilege separation the token's own ACLs are intersected with its user's (PVE's privsep=1). */
  privsep: boolean;
}

/** The acting identity of an authenticated request. */
export interface Actor {
  /** `user@realm` */
  userid: string;
  /** `user@realm!tokenid` when authenticated by API token. */
  tokenid?: string;
}

export function actorName(actor: Actor): string {
  return actor.tokenid ?? actor.userid;
}

/**
 * PVE's permission evaluation (PVE::AccessControl::roles/permissions):
 * the more specific path wins, `propagate` decides whether a role reaches
 * below its path, guests and storages in a pool start from the pool's roles,
 * NoAccess cancels everything, root@pam has every privilege.
 */
export class AccessControlList {
  private readonly entries: AclEntry[] = [];

  constructor(private readonly pools: PoolLookup) {}

  add(entry: AclEntry): void {
    this.entries.push(entry);
  }

  list(): readonly AclEntry[] {
    return this.entries;
  }

  privileges(actor: Actor, path: string, token?: TokenInfo): Set<Privilege> {
    const userPrivs = this.privilegesOf(actor.userid, path);
    if (!actor.tokenid || !token?.privsep) return userPrivs;
    const tokenPrivs = this.privilegesOf(actor.tokenid, path);
    return new Set([...userPrivs].filter((p) => tokenPrivs.has(p)));
  }

  has(actor: Actor, path: string, privilege: Privilege, token?: TokenInfo): boolean {
    return this.privileges(actor, path, token).has(privilege);
  }

  /** Every ACL path naming this identity (or its user), as /access/permissions lists. */
  pathsOf(actor: Actor): string[] {
    const ids = new Set([actor.userid, actor.tokenid].filter((x): x is string => !!x));
    return [...new Set(this.entries.filter((e) => ids.has(e.ugid)).map((e) => e.path))];
  }

  private privilegesOf(ugid: string, path: string): Set<Privilege> {
    if (ugid === 'root@pam') return new Set(Object.values(BUILTIN_ROLES).flat());
    return rolesToPrivileges(this.rolesOf(ugid, normalisePath(path)));
  }

  private rolesOf(ugid: string, path: string): Set<string> {
    let roles = new Set<string>();
    const vm = /^\/vms\/(\d+)$/.exec(path);
    const storage = /^\/storage\/([^/]+)$/.exec(path);
    const pool = vm ? this.pools.poolOfVm(Number(vm[1])) : storage ? this.pools.poolOfStorage(storage[1] ?? '') : undefined;
    if (pool) roles = this.rolesOf(ugid, `/pool/${pool}`);
    for (const level of ancestors(path)) {
      const final = level === path;
      const here = this.entries.filter((e) => e.ugid === ugid && e.path === level && (final || e.propagate));
      if (here.length > 0) roles = new Set(here.map((e) => e.role));
    }
    return roles;
  }
}

function rolesToPrivileges(roles: Set<string>): Set<Privilege> {
  if (roles.has('NoAccess')) return new Set();
  const privileges = new Set<Privilege>();
  for (const role of roles) for (const p of BUILTIN_ROLES[role] ?? []) privileges.add(p);
  return privileges;
}

export function normalisePath(path: string): string {
  const trimmed = path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** `/vms/100` → [`/`, `/vms`, `/vms/100`] */
export function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return ['/', ...parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'))];
}
