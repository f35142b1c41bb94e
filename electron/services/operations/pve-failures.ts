import { IpcError } from '../../../shared/ipc/errors';
import { isPveError, type ApiCall, type PveClient } from '../pve';

/**
 * What PVE says when a digest no longer matches: pve-common's
 * `assert_if_modified` ("detected modified configuration - file changed by
 * other user? Try again.") and the section configs' "checksum missmatch".
 */
const conflictPattern = /detected modified configuration|checksum mis+match|digest mis+match/i;

/** Whether PVE's words (a refusal, a task's exit status) say the config changed since it was read. */
export function isConflictMessage(text: string): boolean {
  return conflictPattern.test(text);
}

/** A change refused because the config changed since it was read. */
export function conflictError(): IpcError {
  return new IpcError('CONFLICT', {
    en: 'Someone else changed this configuration since it was read. Nothing was written: read it again, then redo the change.',
    fr: 'Quelqu’un d’autre a modifié cette configuration depuis sa lecture. Rien n’a été écrit : rechargez-la, puis refaites la modification.',
  });
}

/**
 * PVE's refusals the user can act on, as IpcErrors: a changed config is a
 * CONFLICT (read again, redo the change), a 400 with per-parameter texts a
 * BAD_INPUT naming the fields. Anything else stays as it is for the router's
 * one mapping (403 → PERMISSION_DENIED…).
 */
export function translatePveFailure(error: unknown): unknown {
  if (!isPveError(error, 'SERVER_ERROR')) return error;
  const { status, serverMessage, errors } = error.details;
  if (isConflictMessage(serverMessage) || Object.values(errors ?? {}).some(isConflictMessage)) return conflictError();
  if (status === 400 && errors !== undefined && Object.keys(errors).length > 0) {
    // PVE's texts as it wrote them, in both languages; only the punctuation around them follows the language.
    const fields = Object.entries(errors).map(([field, text]) => ({ field, text: text.trim() }));
    return new IpcError('BAD_INPUT', {
      en: `PVE refused these values. Correct them and try again. ${fields.map(({ field, text }) => `${field}: ${text}`).join('; ')}`,
      fr: `PVE a refusé ces valeurs. Corrigez-les, puis réessayez. ${fields.map(({ field, text }) => `${field} : ${text}`).join(' ; ')}`,
    });
  }
  return error;
}

/** Sends one typed call, PVE's refusals translated. */
export async function send<T>(client: Pick<PveClient, 'execute'>, call: ApiCall<T>): Promise<T> {
  try {
    return await client.execute(call);
  } catch (error) {
    throw translatePveFailure(error);
  }
}
