import { IpcError, type IpcErrorCode } from '../../../shared/ipc/errors';
import { PveError, type PveErrorCode } from '../pve/errors';
import { SecretsError } from '../secrets/secrets-error';
import { SshError, type SshErrorCode } from '../ssh/ssh-error';

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
 * The `{ code, message }` a service failure crosses IPC as. The PVE, SSH and
 * secrets layers already write messages that say what to do and hold no
 * secret; anything else is rethrown for the router to report as INTERNAL.
 */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof IpcError) return error;
  if (error instanceof PveError) return new IpcError(pveCodes[(error as PveError).code], error.message);
  if (error instanceof SshError) return new IpcError(sshCodes[error.code], error.message);
  if (error instanceof SecretsError) return new IpcError('SECRETS_UNAVAILABLE', error.message);
  throw error;
}

/** Runs a service step and converts its failure for IPC. */
export async function forIpc<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toIpcError(error);
  }
}
