import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * The app's folders (config, data, logs) hold profiles, the secrets file, the
 * key that decrypts it and logs that name servers and users: only their owner
 * may list or open them. Missing folders, parents included, are created 0700.
 *
 * An existing folder that is open to others (made by an older version, by
 * hand, or under a lax umask) is narrowed to its owner when it is ours: the
 * folder is the app's, so nobody else has a reason to read it, and waiting
 * for the user to notice would leave the secrets file readable meanwhile. A
 * folder another account owns is left alone: we could not change it, and
 * whoever pointed the app there chose to share it.
 */
export function ensurePrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  restrictToOwner(path);
}

/** Removes group and other permissions from a file or folder this user owns; keeps the owner's own bits. */
export function restrictToOwner(path: string): void {
  // Windows has no POSIX modes (process.getuid is absent there); its profile folders are per user already.
  const uid = process.getuid?.();
  if (uid === undefined) return;
  const stats = statSync(path);
  if (stats.uid !== uid || (stats.mode & 0o077) === 0) return;
  try {
    chmodSync(path, stats.mode & 0o700);
  } catch (error) {
    // On a read-only file system the mode cannot change, and nobody can write there either:
    // starting anyway lets the app say what it can (the log goes to stderr, saves say the folder is read-only).
    if ((error as NodeJS.ErrnoException).code !== 'EROFS') throw error;
  }
}
