/** The public surface of the session registry: how every feature reaches a cluster's API client or a node's SSH session. */
export { SessionRegistry, type ClusterSessions, type ConnectedCluster, type LiveSession, type SessionRegistryOptions } from './session-registry';
export { HostKeyQuestions } from './host-key-questions';
export { failedState, stateOf } from './connection-state';
export type { ClientTuning } from './profile-client';
export { sessionsHandlers, type SessionsHandlers } from './handlers';
