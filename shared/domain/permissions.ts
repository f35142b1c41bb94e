/**
 * Effective privileges per ACL path, as `GET /access/permissions` gives them:
 * `{ "/vms/100": { "VM.Audit": 1, "VM.Console": 0 } }`. A privilege that is a
 * key is held on that path; its value says whether it propagates to the
 * paths below (1) or not (0; privileges that come from a pool are always 0).
 */
export type PermissionMap = Record<string, Record<string, 0 | 1>>;

/**
 * Whether `privilege` is held on `path`: listed on the path itself, or on an
 * ancestor that propagates it. This is what the UI uses to hide or disable
 * actions; the server still checks every call.
 */
export function hasPrivilege(permissions: PermissionMap, path: string, privilege: string): boolean {
  const parts = path.split('/').filter((part) => part.length > 0);
  if (permissions[`/${parts.join('/')}`]?.[privilege] !== undefined) return true;
  for (let depth = parts.length - 1; depth >= 0; depth -= 1) {
    if (permissions[`/${parts.slice(0, depth).join('/')}`]?.[privilege] === 1) return true;
  }
  return false;
}
