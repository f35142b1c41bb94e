import { IpcError, type IpcErrorCode, type IpcErrorPayload } from '../../../shared/ipc/errors';
import type { Sentence } from '../../../shared/text/sentence';
import { StorageError } from '../config';
import type { Logger } from '../log';
import { PveError, type PveErrorCode } from '../pve';
import { SecretsError } from '../secrets';
import { SshError, type SshErrorCode } from '../ssh';

const pveCodes: Record<PveErrorCode, IpcErrorCode> = {
  AUTH_FAILED: 'AUTH_FAILED',
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  UNREACHABLE: 'UNREACHABLE',
  TLS_MISMATCH: 'TLS_MISMATCH',
  TLS_UNTRUSTED: 'TLS_UNTRUSTED',
  TIMEOUT: 'TIMEOUT',
  CANCELLED: 'CANCELLED',
  SERVER_ERROR: 'SERVER_ERROR',
  BAD_RESPONSE: 'BAD_RESPONSE',
};

const sshCodes: Record<SshErrorCode, IpcErrorCode> = {
  HOST_KEY_MISMATCH: 'SSH_HOST_KEY_MISMATCH',
  HOST_KEY_REFUSED: 'SSH_HOST_KEY_REFUSED',
  AUTH_FAILED: 'SSH_AUTH_FAILED',
  KEY_UNUSABLE: 'SSH_AUTH_FAILED',
  SECRET_MISSING: 'SSH_AUTH_FAILED',
  NO_AGENT: 'SSH_AUTH_FAILED',
  UNREACHABLE: 'UNREACHABLE',
  TIMEOUT: 'TIMEOUT',
  DISCONNECTED: 'SSH_FAILED',
  CANCELLED: 'CANCELLED',
  CLOSED: 'SSH_FAILED',
  CHANNEL_FAILED: 'SSH_FAILED',
  PROTOCOL: 'SSH_FAILED',
};

/**
 * The PVE, SSH, secrets and storage layers write messages that say what to do and hold no secret: those cross as they
 * are, with their translations.
 */
function knownPayload(error: unknown): IpcErrorPayload | undefined {
  if (error instanceof IpcError) return error.toPayload();
  if (error instanceof PveError) return { code: pveCodes[(error as PveError).code], ...error.carried() };
  if (error instanceof SshError) return { code: sshCodes[error.code], ...error.carried() };
  if (error instanceof SecretsError) return { code: 'SECRETS_UNAVAILABLE', ...error.carried() };
  if (error instanceof StorageError) return { code: 'STORAGE_FAILED', ...error.carried() };
  // A job's work stopped by its AbortSignal (the user's cancel) rejects with the signal's AbortError.
  if (error instanceof Error && error.name === 'AbortError') return new IpcError('CANCELLED', cancelled).toPayload();
  return undefined;
}

const cancelled: Sentence = { en: 'The operation was cancelled.', fr: 'L’opération a été annulée.' };

/**
 * The one mapping from whatever a handler threw to what crosses IPC. Anything
 * not listed above is a bug or a failure nobody described: its message may
 * hold anything, so it stays in the log (with its stack) and the user is told
 * where that log is.
 */
export function toErrorPayload(error: unknown, context: { method: string; logger: Logger }): IpcErrorPayload {
  const known = knownPayload(error);
  if (known !== undefined) return known;
  const { method, logger } = context;
  logger.error('ipc.handler-failed', { method, error });
  const where: Sentence =
    logger.file !== undefined
      ? { en: `the application log (${logger.file})`, fr: `le journal de l’application (${logger.file})` }
      : { en: 'the application log (on standard error)', fr: 'le journal de l’application (sur la sortie d’erreur)' };
  return new IpcError('INTERNAL', {
    en: `The operation ${method} failed unexpectedly. Try again; if it keeps failing, ${where.en} has the details to send with a bug report.`,
    fr: `L’opération ${method} a échoué de façon inattendue. Réessayez ; si l’échec se répète, ${where.fr} contient les détails à joindre à un rapport d’anomalie.`,
  }).toPayload();
}
