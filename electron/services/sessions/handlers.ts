import type { MethodHandlers } from '../ipc';
import type { SessionRegistry } from './session-registry';

export type SessionsHandlers = Pick<MethodHandlers, 'connections.answerHostKey'>;

/** The user's answer to a host-key question the registry asked while opening an SSH session. */
export function sessionsHandlers(sessions: SessionRegistry): SessionsHandlers {
  return {
    'connections.answerHostKey': ({ questionId, accept }) => sessions.answerHostKey(questionId, accept),
  };
}
