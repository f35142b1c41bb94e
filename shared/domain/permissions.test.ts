import { describe, expect, it } from 'vitest';
import { hasPrivilege, type PermissionMap } from './permissions';

describe('hasPrivilege', () => {
  const permissions: PermissionMap = {
    '/': { 'Sys.Audit': 1, 'Sys.Console': 0 },
    '/vms': { 'VM.Audit': 1 },
    '/vms/100': { 'VM.PowerMgmt': 0, 'VM.Console': 0 },
    '/pool/students': { 'Pool.Audit': 1 },
  };

  it('holds a privilege listed on the path itself, whatever its propagation flag', () => {
    expect(hasPrivilege(permissions, '/vms/100', 'VM.PowerMgmt')).toBe(true);
    expect(hasPrivilege(permissions, '/', 'Sys.Console')).toBe(true);
  });

  it('holds a privilege an ancestor propagates, at any depth', () => {
    expect(hasPrivilege(permissions, '/vms/100', 'VM.Audit')).toBe(true);
    expect(hasPrivilege(permissions, '/nodes/pve1', 'Sys.Audit')).toBe(true);
    expect(hasPrivilege(permissions, '/storage/local/iso', 'Sys.Audit')).toBe(true);
  });

  it('does not hold a privilege an ancestor has without propagating it (a pool grant is 0)', () => {
    expect(hasPrivilege(permissions, '/nodes/pve1', 'Sys.Console')).toBe(false);
    expect(hasPrivilege(permissions, '/vms/100/snapshot', 'VM.PowerMgmt')).toBe(false);
  });

  it('does not hold a privilege granted on another branch or nowhere', () => {
    expect(hasPrivilege(permissions, '/vms/101', 'VM.PowerMgmt')).toBe(false);
    expect(hasPrivilege(permissions, '/vms/100', 'VM.Allocate')).toBe(false);
    expect(hasPrivilege({}, '/', 'Sys.Audit')).toBe(false);
  });

  it('reads paths written with a trailing or doubled slash as PVE does', () => {
    expect(hasPrivilege(permissions, '/vms/100/', 'VM.PowerMgmt')).toBe(true);
    expect(hasPrivilege(permissions, '//vms//100', 'VM.Audit')).toBe(true);
  });
});
