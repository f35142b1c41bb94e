import type { ConnectedCluster } from '../sessions';
import type { PveClient } from '../pve';

/** The calls the inventory makes on a cluster. */
export type InventoryClient = Pick<
  PveClient,
  | 'getClusterResourceList'
  | 'getClusterStatus'
  | 'getAgentInterfaces'
  | 'getGuestStatus'
  | 'getGuestConfig'
  | 'guestPower'
  | 'getNodeStatus'
  | 'getNodeStorage'
  | 'getPool'
>;

/** What the inventory needs of the session registry. */
export interface InventorySessions {
  connected(): Promise<ConnectedCluster[]>;
  /**
   * The open session of a profile, answering or not: a cluster that stops
   * answering keeps its feed (and last items) until its session ends. A new
   * session is a new object.
   */
  live(profileId: string): { readonly client: { readonly session: unknown } } | undefined;
  client(profileId: string): InventoryClient;
  /** Called after every change of a session's state. */
  onChange(listener: () => Promise<void>): () => void;
}
