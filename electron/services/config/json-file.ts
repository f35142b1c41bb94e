import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../log';
import { sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { ensurePrivateFolder } from './private-folder';
import { StorageError } from './storage-error';

/**
 * Reads a JSON config file checked by a schema. A missing file gives the
 * defaults; a damaged one is moved aside (never overwritten) so nothing the
 * user had is lost, and the defaults are used.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>, defaults: T, logger: Logger): Promise<T> {
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

/**
 * Writes through a temporary file and a rename, so a crash or a full disk
 * never leaves half a file: on failure the previous file is untouched, the
 * temporary one is removed and the error says what to do.
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    ensurePrivateFolder(dirname(path));
    await writeFile(temporary, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw writeFailure(path, error as NodeJS.ErrnoException);
  }
}

function writeFailure(path: string, error: NodeJS.ErrnoException): StorageError {
  const unchanged: Sentence = { en: 'what was saved before is unchanged', fr: 'ce qui avait été enregistré auparavant reste intact' };
  const file = basename(path);
  switch (error.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StorageError(
        'DISK_FULL',
        {
          en: `The disk holding ${dirname(path)} is full, so ${file} could not be saved. Free some space there and try again; ${unchanged.en}.`,
          fr: `Le disque qui contient ${dirname(path)} est plein : ${file} n’a donc pas pu être enregistré. Libérez-y de l’espace, puis réessayez ; ${unchanged.fr}.`,
        },
        { cause: error },
      );
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new StorageError(
        'NOT_WRITABLE',
        {
          en: `${dirname(path)} cannot be written (${error.code}), so ${file} could not be saved. Check that the folder is writable by you, then try again; ${unchanged.en}.`,
          fr: `${dirname(path)} n’est pas accessible en écriture (${error.code}) : ${file} n’a donc pas pu être enregistré. Vérifiez que vous avez le droit d’écrire dans ce dossier, puis réessayez ; ${unchanged.fr}.`,
        },
        { cause: error },
      );
    default: {
      const cause = sentenceOfError(error);
      return new StorageError(
        'WRITE_FAILED',
        {
          en: `${path} could not be saved (${error.code ?? cause.en}). Try again; ${unchanged.en}.`,
          fr: `${path} n’a pas pu être enregistré (${error.code ?? cause.fr}). Réessayez ; ${unchanged.fr}.`,
        },
        { cause: error },
      );
    }
  }
}
