import type { ConsoleGateway, GuestRuntime, SpiceTlsMaterial } from '../contracts';
import type { AccessControlList } from './acl';
import type { AccountStore } from './accounts';
import type { FaultSwitch } from './faults';
import type { HostileSwitch } from './hostile';
import type { ClusterModel } from './model';
import type { PveRelease } from './pve-release';
import type { StatsCollector } from './stats';
import type { StorageRegistry } from './storage';
import type { TaskRegistry } from './tasks';
import type { TicketSigner } from './tickets';

/** Everything the API handlers of one cluster work with. */
export interface ClusterServices {
  model: ClusterModel;
  storage: StorageRegistry;
  accounts: AccountStore;
  acl: AccessControlList;
  signer: TicketSigner;
  tasks: TaskRegistry;
  runtime: GuestRuntime;
  gateway: ConsoleGateway;
  spiceTls: SpiceTlsMaterial;
  faults: FaultSwitch;
  /** Lab only: raw values and items a broken or hostile PVE would send (`/lab/hostile`). */
  hostile: HostileSwitch;
  stats: StatsCollector;
  ticketLifetimeSeconds: number;
  /** The Proxmox VE release the API answers as (`--pve-version`). */
  release: PveRelease;
  /** SHA-256 fingerprint of a node's own certificate (pve-ssl.pem), colon-separated uppercase hex; `/nodes` lists it. */
  nodeFingerprint(node: string): string | undefined;
  /** The cluster CA (pve-root-ca.pem), returned as `cert` by vncproxy as PVE does. */
  caPem: string;
  /** Delay before answering 401 (PVE waits 3 s; the lab less, to keep tests fast). */
  authFailureDelayMs: number;
  /** How long a call for an offline node takes to fail with 595 (PVE's proxy gets "No route to host" after the ARP timeout). */
  unreachableNodeDelayMs: number;
  /** API URL of each node's own listener, for the LAB READY line and /cluster/status. */
  nodeApiPort(node: string): number | undefined;
}
