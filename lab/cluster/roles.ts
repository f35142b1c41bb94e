/**
 * PVE 9's privileges and built-in roles, built the way pve-access-control
 * builds them (PVE/AccessControl.pm, `$privgroups` and `create_roles`): each
 * category splits its privileges into root-only, admin, user and audit
 * groups, and the roles are unions of those groups. Only the built-in roles
 * exist in the lab; custom roles are not needed by the app. PVE 8.4
 * (`--pve-version 8.4`) differs in the VM category only.
 */
import type { PveReleaseName } from './pve-release';

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

/**
 * What PVE 9 brought to the VM category since 8.4 (pve-access-control's "add
 * VM.GuestAgent privileges" and "add VM.Replicate privilege"); 8.4 had
 * VM.Monitor instead (dropped by "privileges: drop VM.Monitor"), which guarded
 * the guest agent and the monitor.
 */
const ADDED_BY_PVE9: ReadonlySet<string> = new Set<GroupedPrivilege>([
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Replicate',
]);

function beforePve9(privileges: readonly string[]): string[] {
  return privileges.filter((privilege) => !ADDED_BY_PVE9.has(privilege));
}

/** PVE 8.4's VM category: PVE 9's without what 9 added, with VM.Monitor among the admin privileges. */
const PVE8_VM_GROUP: PrivilegeGroups = {
  root: beforePve9(PRIVILEGE_GROUPS.VM.root),
  admin: [...beforePve9(PRIVILEGE_GROUPS.VM.admin), 'VM.Monitor'],
  user: beforePve9(PRIVILEGE_GROUPS.VM.user),
  audit: beforePve9(PRIVILEGE_GROUPS.VM.audit),
};

type GroupedPrivilege = {
  [C in keyof typeof PRIVILEGE_GROUPS]: (typeof PRIVILEGE_GROUPS)[C][keyof PrivilegeGroups][number];
}[keyof typeof PRIVILEGE_GROUPS];

/** VM.Monitor is PVE 8.4's only. Permissions.Modify belongs to no category: only Administrator (and root@pam) has it. */
export type Privilege = GroupedPrivilege | 'VM.Monitor' | 'Permissions.Modify';

export type RoleTable = Readonly<Record<string, readonly Privilege[]>>;

function categoriesOf(release: PveReleaseName): [string, PrivilegeGroups][] {
  const groups: Record<string, PrivilegeGroups> = release === '8.4' ? { ...PRIVILEGE_GROUPS, VM: PVE8_VM_GROUP } : PRIVILEGE_GROUPS;
  return Object.entries(groups);
}

function builtinRoles(categories: [string, PrivilegeGroups][]): RoleTable {
  const allPrivileges = [
    ...new Set(['Permissions.Modify', ...categories.flatMap(([, g]) => [...g.root, ...g.admin, ...g.user, ...g.audit])] as Privilege[]),
  ].sort();
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
    Administrator: allPrivileges,
    ...Object.fromEntries(Object.entries(roles).map(([name, set]) => [name, [...set].sort()])),
  };
}

const ROLES: Record<PveReleaseName, RoleTable> = { '9': builtinRoles(categoriesOf('9')), '8.4': builtinRoles(categoriesOf('8.4')) };

/** The built-in roles of the release the lab answers as. */
export function builtinRolesOf(release: PveReleaseName): RoleTable {
  return ROLES[release];
}
