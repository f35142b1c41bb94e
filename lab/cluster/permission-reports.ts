import type { AccessControlList, Actor, PrivilegeFlags, TokenInfo } from './acl';
import type { ClusterModel } from './model';

/** Privilege → propagation flag per ACL path, the answer of `GET /access/permissions`. */
export type PermissionReport = Record<string, Record<string, 0 | 1>>;

function asObject(flags: PrivilegeFlags): Record<string, 0 | 1> {
  return Object.fromEntries([...flags].sort(([a], [b]) => a.localeCompare(b)));
}

/** Every path an ACL entry names, whoever it is for: PVE walks the whole ACL tree. */
function aclPaths(acl: AccessControlList): string[] {
  return acl.list().map((entry) => entry.path);
}

/**
 * PVE::RPCEnvironment::get_effective_permissions: the top-level paths, every
 * ACL path and every pool member, leaving out the paths where nothing is held.
 */
export function effectivePermissions(acl: AccessControlList, model: ClusterModel, actor: Actor, token?: TokenInfo): PermissionReport {
  const members = [...model.pools.keys()].flatMap((pool) => model.poolMembers(pool).map((guest) => `/vms/${guest.vmid}`));
  const paths = new Set(['/', '/access', '/access/groups', '/nodes', '/pool', '/sdn', '/storage', '/vms', ...aclPaths(acl), ...members]);
  const report: PermissionReport = {};
  for (const path of [...paths].sort()) {
    const flags = acl.flags(actor, path, token);
    if (flags.size > 0) report[path] = asObject(flags);
  }
  return report;
}

/** `GET /access/permissions?path=`: that path alone, listed even when nothing is held there. */
export function pathPermissions(acl: AccessControlList, actor: Actor, path: string, token?: TokenInfo): PermissionReport {
  return { [path]: asObject(acl.flags(actor, path, token)) };
}

/** Which privileges each area of `cap` reports, matched at the start of the name as PVE does. */
const CAP_AREAS: Record<string, RegExp> = {
  vms: /^(VM\.|Permissions\.Modify)/,
  access: /^((User|Group)\.|Permissions\.Modify)/,
  storage: /^(Datastore\.|Permissions\.Modify)/,
  nodes: /^(Sys\.|Permissions\.Modify)/,
  sdn: /^(SDN\.|Permissions\.Modify)/,
  dc: /^(Sys\.Audit|Sys\.Modify|SDN\.)/,
  mapping: /^(Mapping\.|Permissions.Modify)/,
};

/** Pool paths count for the guests and storages in them. */
function poolAreas(privilege: string): string[] {
  if (privilege.startsWith('VM.')) return ['vms'];
  if (privilege.startsWith('Datastore.')) return ['storage'];
  return privilege === 'Permissions.Modify' ? ['storage', 'vms'] : [];
}

/**
 * PVE::RPCEnvironment::compute_api_permission, the `cap` of a login: per
 * area, each privilege held on the area's root or on any ACL path in it
 * (values are always 1; they say "held", not "propagated").
 */
export function apiCapabilities(acl: AccessControlList, actor: Actor): Record<string, Record<string, 1>> {
  const cap: Record<string, Record<string, 1>> = Object.fromEntries(Object.keys(CAP_AREAS).map((area) => [area, {}]));
  const paths = new Set(['/', '/nodes', '/access/groups', '/vms', '/storage', '/sdn', '/mapping', ...aclPaths(acl)]);
  for (const path of paths) {
    const topLevel = /^\/(\w+)/.exec(path)?.[1] ?? 'dc';
    for (const privilege of acl.flags(actor, path).keys()) {
      const areas = topLevel === 'pool' ? poolAreas(privilege) : CAP_AREAS[topLevel]?.test(privilege) ? [topLevel] : [];
      for (const area of areas) (cap[area] ??= {})[privilege] = 1;
    }
  }
  return cap;
}
