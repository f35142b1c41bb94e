import type { WebSocket } from 'ws';

/**
 * What a relay token opens: one console's upstream, prepared by main before the URL is handed out.
 * The relay server checks the token (unknown, spent, expired, another window's) and the window proof
 * before calling `accept`; the entry then owns the viewer socket and must close it.
 */
export interface RelayEntry {
  /** The window the URL was issued to (CallContext.caller). */
  caller: string;
  /** What the logs name it by: `vnc 100@pve1`, never a ticket. */
  label: string;
  /** Takes an admitted viewer. `first` is true for the connection that spent the token. */
  accept(viewer: WebSocket, first: boolean): void;
  /**
   * After the first connection, whether one more viewer connection may join with the same token: SPICE opens one
   * WebSocket per channel on the same URL, and they join the session the main channel started while it lives.
   * Absent: the token is single use.
   */
  admitsMore?(): boolean;
  /** The token expired unused, or the service closes: release what was prepared (PVE listeners time out by themselves). */
  discard?(): void;
}

/** A URL handed to the renderer. */
export interface IssuedRelayUrl {
  url: string;
  /** `binary` and the window's proof, for `new WebSocket(url, protocols)`. */
  protocols: string[];
  expiresInMs: number;
}
