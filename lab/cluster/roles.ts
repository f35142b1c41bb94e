/**
 * PVE 9's privileges and built-in roles, built the way pve-access-control
 * builds them (PVE/AccessControl.pm, `$privgroups` and `create_roles`): each
 * category splits its privileges into root-only, admin, user and audit
 * groups, and the roles are unions of those groups. Only the built-in roles
 * exist in the lab; custom roles are not needed by the app.
 */
interface PrivilegeGroups {
  root: readonly string[];
  admin: readonly string[];
  user: readonly string[];
  audit: readonly string[];
}

const PRIVILEGE_GROUPS = {
  VM: {
    root: [],
    admin: [
      'VM.Config.Disk',
      'VM.Config.CPU',
      'VM.Config.Memory',
      'VM.Config.Network',
      'VM.Config.HWType',
      'VM.Config.Options',
      'VM.Allocate',
      'VM.Clone',
      'VM.GuestAgent.Unrestricted',
      'VM.Migrate',
      'VM.Replicate',
      'VM.Snapshot',
      'VM.Snapshot.Rollback',
    ],
    user: [
      'VM.Config.CDROM',
      'VM.Config.Cloudinit',
      'VM.Console',
      'VM.Backup',
      'VM.GuestAgent.FileRead',
      'VM.GuestAgent.FileSystemMgmt',
      'VM.GuestAgent.FileWrite',
      'VM.PowerMgmt',
    ],
    audit: ['VM.Audit', 'VM.GuestAgent.Audit'],
  },
  Sys: {
    root: ['Sys.PowerMgmt', 'Sys.Modify', 'Sys.Incoming', 'Sys.AccessNetwork'],
    admin: ['Sys.Console', 'Sys.Syslog'],
    user: [],
    audit: ['Sys.Audit'],
  },
  Datastore: { root: [], admin: ['Datastore.Allocate', 'Datastore.AllocateTemplate'], user: ['Datastore.AllocateSpace'], audit: ['Datastore.Audit'] },
  SDN: { root: [], admin: ['SDN.Allocate', 'SDN.Audit'], user: ['SDN.Use'], audit: ['SDN.Audit'] },
  User: { root: ['Realm.Allocate'], admin: ['User.Modify', 'Group.Allocate', 'Realm.AllocateUser'], user: [], audit: [] },
  Pool: { root: [], admin: ['Pool.Allocate'], user: ['Pool.Audit'], audit: ['Pool.Audit'] },
  Mapping: { root: [], admin: ['Mapping.Modify'], user: ['Mapping.Use'], audit: ['Mapping.Audit'] },
} as const satisfies Record<string, PrivilegeGroups>;

type GroupedPrivilege = {
  [C in keyof typeof PRIVILEGE_GROUPS]: (typeof PRIVILEGE_GROUPS)[C][keyof PrivilegeGroups][number];
}[keyof typeof PRIVILEGE_GROUPS];

/** Permissions.Modify belongs to no category: only Administrator (and root@pam) has it. */
export type Privilege = GroupedPrivilege | 'Permissions.Modify';

const categories = Object.entries(PRIVILEGE_GROUPS) as [string, PrivilegeGroups][];

export const ALL_PRIVILEGES: readonly Privilege[] = [
  ...new Set(['Permissions.Modify', ...categories.flatMap(([, g]) => [...g.root, ...g.admin, ...g.user, ...g.audit])] as Privilege[]),
].sort();

function builtinRoles(): Record<string, readonly Privilege[]> {
  const roles: Record<string, Set<Privilege>> = {};
  const add = (role: string, privileges: readonly string[]): void => {
    const set = (roles[role] ??= new Set());
    for (const p of privileges) set.add(p as Privilege);
  };
  for (const [category, g] of categories) {
    add(`PVE${category}Admin`, [...g.admin, ...g.user, ...g.audit]);
    add('PVEAdmin', [...g.admin, ...g.user, ...g.audit]);
    if (g.user.length > 0) add(`PVE${category}User`, [...g.user, ...g.audit]);
    add('PVEAuditor', g.audit);
  }
  // PVE keeps Mapping.Modify to Administrator, root@pam and PVEMappingAdmin.
  roles.PVEAdmin?.delete('Mapping.Modify');
  add('PVETemplateUser', ['VM.Clone', 'VM.Audit']);
  return {
    NoAccess: [],
    Administrator: ALL_PRIVILEGES,
    ...Object.fromEntries(Object.entries(roles).map(([name, set]) => [name, [...set].sort()])),
  };
}

export const BUILTIN_ROLES: Readonly<Record<string, readonly Privilege[]>> = builtinRoles();

export function isRole(name: string): boolean {
  return Object.hasOwn(BUILTIN_ROLES, name);
}
