import { IpcError } from '../../shared/ipc/errors';
import type { MessageSchema } from '../i18n/en';

type Translate = (key: string) => string;

/** A user-facing sentence for any failure: the translated cause, then the host's detail when it adds something. */
export function describeError(t: Translate, error: unknown): string {
  if (error instanceof IpcError) {
    const key: `errors.${keyof MessageSchema['errors']}` = `errors.${error.code}`;
    return `${t(key)} (${error.message})`;
  }
  return t('errors.INTERNAL');
}
