import { WebSocket } from 'ws';
import { relayCloseCodes, type RelayCloseReason } from '../../../../shared/domain/consoles';
import type { Logger } from '../../log';
import { isPveError } from '../../pve';
import { SshError } from '../../ssh';

/** A console that failed after the viewer connected, with the close code the viewer is told. */
export class ConsoleRelayError extends Error {
  constructor(
    readonly reason: Exclude<RelayCloseReason, 'tokenRefused'>,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleRelayError';
  }
}

/** Close reasons are short (at most 123 bytes) and fixed: English, and nothing a server sent. */
const closeTexts: Record<Exclude<RelayCloseReason, 'tokenRefused'>, string> = {
  unreachable: 'The console could not be reached.',
  certificate: 'The console server presented a certificate that is not trusted.',
  authFailed: 'The console refused its ticket or password; open it again.',
  upstreamClosed: 'The connection to the console ended.',
  protocolError: 'The console spoke an unexpected protocol.',
};

function reasonOf(error: unknown): Exclude<RelayCloseReason, 'tokenRefused'> {
  if (error instanceof ConsoleRelayError) return error.reason;
  if (isPveError(error)) {
    switch (error.code) {
      case 'AUTH_FAILED':
      case 'PERMISSION_DENIED':
      case 'SECOND_FACTOR_REQUIRED':
        return 'authFailed';
      case 'TLS_MISMATCH':
      case 'TLS_UNTRUSTED':
        return 'certificate';
      default:
        return 'unreachable';
    }
  }
  if (error instanceof SshError) {
    if (error.code === 'HOST_KEY_MISMATCH' || error.code === 'HOST_KEY_REFUSED') return 'certificate';
    if (error.code === 'AUTH_FAILED' || error.code === 'KEY_UNUSABLE' || error.code === 'SECRET_MISSING' || error.code === 'NO_AGENT') return 'authFailed';
    return 'unreachable';
  }
  return 'protocolError';
}

/** What a console's failures are logged with: its label (never a ticket) and the log. */
export interface ConsoleLog {
  label: string;
  logger: Logger;
}

/** Ends a viewer whose console failed: the log gets the error (no secret in it), the viewer a close code. */
export function closeViewerFor(viewer: WebSocket, error: unknown, context: ConsoleLog): void {
  const reason = reasonOf(error);
  context.logger.warn('consoles.console-failed', { console: context.label, reason, error });
  if (viewer.readyState === WebSocket.OPEN || viewer.readyState === WebSocket.CONNECTING) viewer.close(relayCloseCodes[reason], closeTexts[reason]);
}
