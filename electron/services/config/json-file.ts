import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../log/logger';

/**
 * Reads a JSON config file checked by a schema. A missing file gives the
 * defaults; a damaged one is moved aside (never overwritten) so nothing the
 * user had is lost, and the defaults are used.
 */
export async function readJsonFile<T>(
  path: string,
  schema: z.ZodType<T>,
  defaults: T,
  logger: Logger,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaults;
    throw error;
  }
  let parsed: z.ZodSafeParseResult<T>;
  try {
    parsed = schema.safeParse(JSON.parse(text));
  } catch {
    parsed = { success: false } as z.ZodSafeParseResult<T>;
  }
  if (parsed.success) return parsed.data;
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  logger.warn('config.damaged-file-moved-aside', { path, movedTo: aside });
  return defaults;
}

/** Writes through a temporary file and a rename, so a crash or a full disk never leaves half a file. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  await rename(temporary, path);
}
