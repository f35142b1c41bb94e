import type { PveError } from './errors';

/** What the client reports on its own, for the connection list's live state. */
export type PveClientEvent =
  /** Calls now go to `endpoint` because `previous` stopped answering (or the other way back). */
  | { type: 'endpoint-changed'; endpoint: string; previous: string }
  /** Ticket and CSRF token were renewed together. */
  | { type: 'session-renewed' }
  /** A renewal did not go through; the current ticket is kept and the next tick tries again. */
  | { type: 'renewal-failed'; error: PveError }
  /** The server refused the session and the client logged in again with the stored credentials. */
  | { type: 'relogged-in' }
  /** The session is gone and only the user can restore it (log in again, second factor, new password). */
  | { type: 'session-lost'; error: PveError };

export type PveClientListener = (event: PveClientEvent) => void;
