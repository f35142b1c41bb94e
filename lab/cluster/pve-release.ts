/**
 * The Proxmox VE release the lab answers as (`--pve-version`). PVE 9 is
 * current; many clusters still run 8.4, and where the two answer
 * differently the lab follows the chosen one so the client is tested
 * against both.
 */
export type PveReleaseName = '8.4' | '9';

export const PVE_RELEASE_NAMES: readonly PveReleaseName[] = ['8.4', '9'];

export interface PveRelease {
  name: PveReleaseName;
  /** `GET /version`: pve-manager's package version, point release and build (pve-manager PVE/API2.pm `version`). */
  version: string;
  release: string;
  /** The short git id of the build: 16 hex digits since PVE 8.0. */
  repoid: string;
  /** The major release, for answers that changed with it (e.g. qemu-server 9.0's `has-dbus-vmstate`). */
  major: 8 | 9;
}

/** The latest point releases in pve-manager's debian/changelog (master: 9.2.11, stable-8: 8.4.21). */
const RELEASES: Record<PveReleaseName, PveRelease> = {
  '9': { name: '9', version: '9.2.11', release: '9.2', repoid: 'f6997e69a3c1d5b2', major: 9 },
  '8.4': { name: '8.4', version: '8.4.21', release: '8.4', repoid: '2606ac85e1b7f490', major: 8 },
};

export function pveRelease(name: PveReleaseName): PveRelease {
  return RELEASES[name];
}
