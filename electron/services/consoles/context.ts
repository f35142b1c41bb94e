import type { Logger } from '../log';
import type { ProfileStore } from '../profiles';
import type { ClusterSessions } from '../sessions';
import type { RelayEntry, IssuedRelayUrl } from './relay/relay-entry';

/** What every console opener gets: the clusters' sessions, the profiles (clipboard sharing), the relay, the log. */
export interface ConsoleContext {
  sessions: ClusterSessions;
  profiles: Pick<ProfileStore, 'get'>;
  /** Registers an entry under a fresh token bound to its caller's window; answers the URL to hand out. */
  issue(entry: RelayEntry): IssuedRelayUrl;
  configDir: string;
  logger: Logger;
}
