import { homedir } from 'node:os';
import { join } from 'node:path';

export const appName = 'PVE Desk';
/** Folder name shared by both hosts, so the web host and Electron see the same profiles and settings. */
export const appFolderName = 'pve-desk';

/** The config folder when no host supplies one: $PVE_DESK_CONFIG_DIR, else XDG's config home. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PVE_DESK_CONFIG_DIR) return env.PVE_DESK_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, appFolderName);
}

/** Machine-local data kept apart from the config folder (the web host's secrets key): XDG's data home. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, appFolderName);
}
