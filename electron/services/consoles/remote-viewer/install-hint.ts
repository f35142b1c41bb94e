import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RemoteViewerInstallHint } from '../../../../shared/domain/consoles';

/** `ID` and `ID_LIKE` of /etc/os-release (os-release(5)): the distribution and the ones it derives from. */
export function osReleaseIds(osRelease: string): string[] {
  const ids: string[] = [];
  for (const row of osRelease.split('\n')) {
    const match = /^(ID|ID_LIKE)=(.*)$/.exec(row.trim());
    if (match) ids.push(...(match[2] ?? '').replace(/^["']|["']$/g, '').split(/\s+/));
  }
  return ids.filter((id) => id !== '').map((id) => id.toLowerCase());
}

const families: [RemoteViewerInstallHint, string[]][] = [
  ['debian', ['debian', 'ubuntu']],
  ['fedora', ['fedora', 'rhel', 'centos']],
  ['arch', ['arch']],
  ['suse', ['suse', 'opensuse']],
];

/** How to install remote-viewer here: the package family of the Linux distribution, Windows, macOS or other. */
export function installHintFor(platform: NodeJS.Platform, osRelease: string | undefined): RemoteViewerInstallHint {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  if (platform !== 'linux' || osRelease === undefined) return 'other';
  const ids = osReleaseIds(osRelease);
  for (const [hint, names] of families) if (ids.some((id) => names.some((name) => id === name || id.startsWith(`${name}-`)))) return hint;
  return 'other';
}

/** The executable `name` in `PATH`, as the shell would find it; undefined when it is not installed. */
export function findInPath(name: string, path: string | undefined, platform: NodeJS.Platform = process.platform): string | undefined {
  const suffixes = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const folder of (path ?? '').split(delimiter)) {
    if (folder === '') continue;
    for (const suffix of suffixes) {
      const candidate = join(folder, `${name}${suffix}`);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here: the next folder.
      }
    }
  }
  return undefined;
}
