import { IpcError, isIpcErrorCode } from '../../shared/ipc/errors';
import { inLocale, type CarriedMessage } from '../../shared/text/sentence';
import type { MessageSchema } from '../i18n/en';
import { i18n } from '../i18n';

type Translate = (key: string) => string;

/**
 * A user-facing sentence for any failure: the translated cause, then the
 * host's detail when it adds something, in the window's language when the
 * host wrote it in that one. Takes a thrown IpcError or the
 * `{ code, message, translations }` a connection state carries.
 */
export function describeError(t: Translate, error: unknown): string {
  if (error instanceof IpcError || isErrorPayload(error)) {
    const key: `errors.${keyof MessageSchema['errors']}` = `errors.${isIpcErrorCode(error.code) ? error.code : 'INTERNAL'}`;
    const detail = shownMessage(error instanceof IpcError ? error.carried() : error);
    return detail.trim() === '' ? t(key) : `${t(key)} (${detail})`;
  }
  return t('errors.INTERNAL');
}

/** A message the host wrote (an error's detail, a job's failure), in the window's language when it wrote that one. */
export function shownMessage(message: CarriedMessage): string {
  return inLocale(message, i18n.global.locale.value);
}

function isErrorPayload(value: unknown): value is { code: string } & CarriedMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}
