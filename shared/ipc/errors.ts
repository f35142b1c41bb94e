import { DescribedError, type CarriedMessage, type Sentence } from '../text/sentence';

/**
 * Errors cross the IPC boundary as `{ code, message, translations }` only: no
 * stack, no cause chain, nothing that could carry a secret. The renderer
 * translates the code; the message, in the window's language when main wrote
 * it in that one, is the detail shown under it.
 */
export const ipcErrorCodes = [
  'BAD_SENDER',
  'UNKNOWN_METHOD',
  'BAD_INPUT',
  'DISCONNECTED',
  'TIMEOUT',
  /** Too many calls already running for one window: a flood is answered, never queued. */
  'BUSY',
  'INTERNAL',
  // What the services report; each names what happened, the message says what to do.
  'NOT_FOUND',
  'AUTH_FAILED',
  'SECOND_FACTOR_REQUIRED',
  'PERMISSION_DENIED',
  'UNREACHABLE',
  'TLS_MISMATCH',
  'TLS_UNTRUSTED',
  'SERVER_ERROR',
  'BAD_RESPONSE',
  'CANCELLED',
  'SECRETS_UNAVAILABLE',
  'SSH_HOST_KEY_MISMATCH',
  'SSH_HOST_KEY_REFUSED',
  'SSH_AUTH_FAILED',
  'SSH_FAILED',
  'BAD_FILE',
  'STORAGE_FAILED',
  /** What was asked for changed meanwhile (a page of a list that moved on): ask again. */
  'STALE',
  /** Someone else changed it since it was read (a guest config's digest): read it again, then redo the change. */
  'CONFLICT',
  /** The guest is not running, so it has no console: start it, then connect. */
  'NOT_RUNNING',
  /** The guest is running and the change needs it stopped (moving its boot disk): shut it down, then do it again. */
  'GUEST_RUNNING',
] as const;

export type IpcErrorCode = (typeof ipcErrorCodes)[number];

export interface IpcErrorPayload extends CarriedMessage {
  code: IpcErrorCode;
}

export class IpcError extends DescribedError {
  readonly code: IpcErrorCode;

  constructor(code: IpcErrorCode, text: string | Sentence | CarriedMessage) {
    super(text);
    this.name = 'IpcError';
    this.code = code;
  }

  /** The error a call answered with, as the renderer rethrows it: an unknown code is an internal one. */
  static fromPayload(payload: { code: string } & CarriedMessage): IpcError {
    return new IpcError(isIpcErrorCode(payload.code) ? payload.code : 'INTERNAL', payload);
  }

  toPayload(): IpcErrorPayload {
    return { code: this.code, ...this.carried() };
  }
}

export function isIpcErrorCode(value: unknown): value is IpcErrorCode {
  return typeof value === 'string' && (ipcErrorCodes as readonly string[]).includes(value);
}

/** The single shape every call answers with, whatever the transport. */
export type IpcEnvelope = { ok: true; result: unknown } | { ok: false; error: IpcErrorPayload };
