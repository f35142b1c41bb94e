import { relayCloseCodes } from '../../../shared/domain/consoles';
import type { ViewerFailure } from './viewer';

/**
 * What a closed relay socket means for the user, from its close code (shared by the viewers). Codes outside the
 * relay's own (a lost loopback connection, 1006) count as a drop: reconnecting may help.
 */
export function failureOfClose(code: number, reason: string): ViewerFailure {
  switch (code) {
    case relayCloseCodes.tokenRefused:
      return { kind: 'token-refused' };
    case relayCloseCodes.unreachable:
      return { kind: 'unreachable' };
    case relayCloseCodes.certificate:
      return { kind: 'certificate' };
    case relayCloseCodes.authFailed:
      return { kind: 'auth-failed' };
    case relayCloseCodes.protocolError:
      return { kind: 'protocol', detail: reason };
    default:
      return { kind: 'dropped' };
  }
}
