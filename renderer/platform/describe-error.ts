import { IpcError, isIpcErrorCode } from '../../shared/ipc/errors';
import type { MessageSchema } from '../i18n/en';

type Translate = (key: string) => string;

/**
 * A user-facing sentence for any failure: the translated cause, then the
 * host's detail when it adds something. Takes a thrown IpcError or the
 * `{ code, message }` a connection state carries.
 */
export function describeError(t: Translate, error: unknown): string {
  if (error instanceof IpcError || isErrorPayload(error)) {
    const key: `errors.${keyof MessageSchema['errors']}` = `errors.${isIpcErrorCode(error.code) ? error.code : 'INTERNAL'}`;
    return error.message.trim() === '' ? t(key) : `${t(key)} (${error.message})`;
  }
  return t('errors.INTERNAL');
}

function isErrorPayload(value: unknown): value is { code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}
