/** Effective privileges per ACL path, as `GET /access/permissions` gives them: `{ "/vms/100": ["VM.Audit", "VM.Console"] }`. */
export type PermissionMap = Record<string, string[]>;

/**
 * Whether the permission map lists `privilege` on `path` or on one of its
 * ancestors. PVE propagates ACLs downwards by default, so this is what the
 * UI uses to hide actions; the server still checks every call.
 */
export function hasPrivilege(permissions: PermissionMap, path: string, privilege: string): boolean {
  const parts = path.split('/').filter((part) => part.length > 0);
  for (let depth = parts.length; depth >= 0; depth -= 1) {
    const candidate = `/${parts.slice(0, depth).join('/')}`;
    if (permissions[candidate]?.includes(privilege) === true) return true;
  }
  return false;
}
