/**
 * PVE's privileges and built-in roles (pve-access-control, PVE 8). Only the
 * built-in roles exist in the lab; custom roles are not needed by the app.
 */
export const ALL_PRIVILEGES = [
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.Migrate',
  'VM.Monitor',
  'VM.PowerMgmt',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
] as const;

export type Privilege = (typeof ALL_PRIVILEGES)[number];

const VM_USER: Privilege[] = ['VM.Audit', 'VM.Console', 'VM.PowerMgmt', 'VM.Backup', 'VM.Config.CDROM', 'VM.Config.Cloudinit'];
const VM_ADMIN: Privilege[] = [
  ...VM_USER,
  'VM.Allocate',
  'VM.Clone',
  'VM.Config.CPU',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Migrate',
  'VM.Monitor',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
];

/** Built-in roles. PVEAdmin lacks exactly the system and permission-changing privileges, as in PVE. */
export const BUILTIN_ROLES: Record<string, readonly Privilege[]> = {
  NoAccess: [],
  PVEVMUser: VM_USER,
  PVEVMAdmin: VM_ADMIN,
  PVEDatastoreUser: ['Datastore.AllocateSpace', 'Datastore.Audit'],
  PVEDatastoreAdmin: ['Datastore.Allocate', 'Datastore.AllocateSpace', 'Datastore.AllocateTemplate', 'Datastore.Audit'],
  PVEAuditor: ['Datastore.Audit', 'Mapping.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit'],
  PVEPoolUser: ['Pool.Audit'],
  PVEPoolAdmin: ['Pool.Allocate', 'Pool.Audit'],
  PVEAdmin: ALL_PRIVILEGES.filter((p) => !['Permissions.Modify', 'Realm.Allocate', 'Sys.Modify', 'Sys.PowerMgmt'].includes(p)),
  Administrator: ALL_PRIVILEGES,
};

export function isRole(name: string): boolean {
  return Object.hasOwn(BUILTIN_ROLES, name);
}
