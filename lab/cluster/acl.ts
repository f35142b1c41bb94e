import type { Privilege, RoleTable } from './roles';

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

/** Privilege → propagation flag, as PVE reports them: a privilege that is a key is held, whatever its flag. */
export type PrivilegeFlags = ReadonlyMap<Privilege, 0 | 1>;

/** Role → propagation flag of the ACL entry that gave it (PVE::AccessControl::roles). */
type RoleFlags = Map<string, 0 | 1>;

/**
 * PVE's permission evaluation (PVE::AccessControl::roles and
 * PVE::RPCEnvironment::permissions): the most specific path with an entry
 * wins, `propagate` decides whether a role reaches below its path, guests
 * and storages in a pool also get the pool's roles (flag 0: they never
 * propagate), NoAccess cancels everything, root@pam has every privilege.
 */
export class AccessControlList {
  private readonly entries: AclEntry[] = [];

  /** root@pam's privileges: every one of the release (read-only, so every call shares it). */
  private readonly rootFlags: PrivilegeFlags;
  private readonly roleSets: ReadonlyMap<string, ReadonlySet<Privilege>>;

  constructor(
    private readonly pools: PoolLookup,
    /** The built-in roles of the release the lab answers as. */
    private readonly roles: RoleTable,
  ) {
    this.rootFlags = new Map(roles.Administrator?.map((p) => [p, 1]));
    this.roleSets = new Map(Object.entries(roles).map(([role, privileges]) => [role, new Set(privileges)]));
  }

  add(entry: AclEntry): void {
    this.entries.push(entry);
  }

  list(): readonly AclEntry[] {
    return this.entries;
  }

  /** The privileges held on `path` with their propagation flags. */
  flags(actor: Actor, path: string, token?: TokenInfo): PrivilegeFlags {
    const userFlags = this.flagsOf(actor.userid, path);
    if (!actor.tokenid || !token?.privsep) return userFlags;
    // A privilege-separated token holds what both it and its user hold; propagated only when both are.
    const tokenFlags = this.flagsOf(actor.tokenid, path);
    const both = new Map<Privilege, 0 | 1>();
    for (const [p, flag] of tokenFlags) {
      const userFlag = userFlags.get(p);
      if (userFlag !== undefined) both.set(p, userFlag === 1 && flag === 1 ? 1 : 0);
    }
    return both;
  }

  privileges(actor: Actor, path: string, token?: TokenInfo): Set<Privilege> {
    return new Set(this.flags(actor, path, token).keys());
  }

  /** One privilege, without building the whole map: /cluster/resources asks this for every guest. */
  has(actor: Actor, path: string, privilege: Privilege, token?: TokenInfo): boolean {
    const userHolds = this.holds(actor.userid, path, privilege);
    // A privilege-separated token holds what both it and its user hold.
    return actor.tokenid && token?.privsep ? userHolds && this.holds(actor.tokenid, path, privilege) : userHolds;
  }

  private holds(ugid: string, path: string, privilege: Privilege): boolean {
    if (ugid === 'root@pam') return this.rootFlags.has(privilege);
    for (const role of this.effectiveRoles(ugid, path).keys()) if (this.roleSets.get(role)?.has(privilege)) return true;
    return false;
  }

  private flagsOf(ugid: string, path: string): PrivilegeFlags {
    if (ugid === 'root@pam') return this.rootFlags;
    return this.privilegesOfRoles(this.effectiveRoles(ugid, path));
  }

  private effectiveRoles(ugid: string, path: string): RoleFlags {
    const normalised = normalisePath(path);
    return this.withPoolRoles(ugid, normalised, this.rolesOf(ugid, normalised));
  }

  /** PVE::AccessControl::roles: walks from `/` down, each level with entries replacing what came before. */
  private rolesOf(ugid: string, path: string): RoleFlags {
    let roles: RoleFlags = new Map();
    for (const level of ancestors(path)) {
      const final = level === path;
      const here = this.entries.filter((e) => e.ugid === ugid && e.path === level && (final || e.propagate));
      if (here.length > 0) roles = new Map(here.map((e) => [e.role, e.propagate ? 1 : 0]));
    }
    const noAccess = roles.get('NoAccess');
    return noAccess === undefined ? roles : new Map([['NoAccess', noAccess]]);
  }

  /** A privilege is propagated when any role that gives it is. */
  private privilegesOfRoles(roles: RoleFlags): PrivilegeFlags {
    const privileges = new Map<Privilege, 0 | 1>();
    for (const [role, flag] of roles) for (const p of this.roles[role] ?? []) privileges.set(p, privileges.get(p) === 1 ? 1 : flag);
    return privileges;
  }

  /** RPCEnvironment's pool roles: added with flag 0 unless the path's own ACL set them; NoAccess on either side wins. */
  private withPoolRoles(ugid: string, path: string, roles: RoleFlags): RoleFlags {
    if (roles.has('NoAccess')) return roles;
    const vm = /^\/vms\/(\d+)$/.exec(path);
    const storage = /^\/storage\/([^/]+)$/.exec(path);
    const pool = vm ? this.pools.poolOfVm(Number(vm[1])) : storage ? this.pools.poolOfStorage(storage[1] ?? '') : undefined;
    if (!pool) return roles;
    const poolRoles = this.rolesOf(ugid, `/pool/${pool}`);
    if (poolRoles.has('NoAccess')) return new Map([['NoAccess', 0]]);
    const merged = new Map(roles);
    for (const role of poolRoles.keys()) if (!merged.has(role)) merged.set(role, 0);
    return merged;
  }
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
