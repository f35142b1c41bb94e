/**
 * The inventory as main hands it to the renderer: per connected cluster, the
 * items of `GET /cluster/resources` (checked one by one, cleaned of bidi
 * controls, capped in length), kept up to date by a poll in main and sent as
 * deltas keyed by item id.
 */
import type { ClusterResource } from '../pve/cluster';
import type { Translations } from '../text/sentence';

/** One `/cluster/resources` item (`qemu/100`, `lxc/101`, `node/pve1`, `storage/pve1/local`, `pool/students`), plus what main adds. */
export interface InventoryItem extends ClusterResource {
  /** Addresses the guest agent reported (running guests with an agent only); searched by the list. */
  ips?: string[];
  /** PVE's OS type (`l26`, `win2k22`…), read in the background from each QEMU guest's config (`/cluster/resources` has none); cleaned and capped. */
  ostype?: string;
}

export const powerActions = ['start', 'shutdown', 'stop', 'reboot', 'reset', 'suspend', 'hibernate', 'resume'] as const;
export type PowerAction = (typeof powerActions)[number];

/** How fresh a cluster's data is. `stale`: the last poll failed or is late; `unreachable`: several in a row failed. */
export const feedStates = ['loading', 'live', 'stale', 'unreachable'] as const;
export type FeedState = (typeof feedStates)[number];

export interface ClusterFeed {
  profileId: string;
  /** The profile's name, as the user calls it. */
  name: string;
  /** The cluster's own name, when PVE reports one. */
  clusterName?: string;
  /** Who is logged in (`student@pve`, `root@pam!token`). */
  userid?: string;
  state: FeedState;
  /** ISO 8601: when the cluster last answered the poll. */
  lastSeenAt?: string;
  /** Why the last poll failed, as a sentence for the user, in English. */
  error?: string;
  /** The same sentence in the app's other languages. */
  errorTranslations?: Translations;
  /** Bumped every time the item set changes; deltas name the revision they lead to. */
  revision: number;
  /** How many items the current revision holds. */
  count: number;
  /** Items of the last answer left out because they were malformed (each logged once). */
  skipped: number;
  /** From `GET /cluster/status` when the user may read it (Sys.Audit); absent otherwise. */
  quorate?: boolean;
}

/**
 * What changed in one cluster since `baseRevision`. When too much changed to
 * send (a first load, a reconnect), `resync` is set, the lists are empty and
 * the renderer reads the items again with `inventory.items`.
 */
export interface InventoryDelta {
  feed: ClusterFeed;
  baseRevision: number;
  upserted: InventoryItem[];
  removed: string[];
  resync?: boolean;
}

/** One page of a cluster's items at `revision`. */
export interface InventoryPage {
  revision: number;
  total: number;
  items: InventoryItem[];
}

export interface GuestDisk {
  /** `scsi0`, `sata1`, `virtio0`, `efidisk0`, `tpmstate0`. */
  key: string;
  /** `local:100/vm-100-disk-0.qcow2`, or `none` for an empty CD drive. */
  volume: string;
  /** Bytes, when the config says. */
  size?: number;
  media?: 'disk' | 'cdrom';
}

export interface GuestNic {
  /** `net0`… */
  key: string;
  model: string;
  mac?: string;
  bridge?: string;
  vlan?: number;
  firewall?: boolean;
  /** From the guest agent, matched by MAC. */
  addresses?: string[];
}

export type AgentState = 'disabled' | 'not-running' | 'answered' | 'no-permission';

export interface GuestSummary {
  profileId: string;
  node: string;
  vmid: number;
  name?: string;
  /** `running`, `stopped`… */
  status: string;
  /** QEMU's own state (`running`, `paused`, `prelaunch`, `suspended`). */
  qmpstatus?: string;
  uptime?: number;
  cpu?: number;
  cpus?: number;
  sockets?: number;
  cores?: number;
  cpuType?: string;
  mem?: number;
  maxmem?: number;
  /** Balloon target and minimum (bytes) from the config, and the balloon's current size when running. */
  balloon?: { min?: number; actual?: number };
  ostype?: string;
  template: boolean;
  lock?: string;
  tags: string[];
  pool?: string;
  /** The HA manager's view, when the guest is HA-managed. */
  ha?: { managed: boolean; state?: string; group?: string };
  disks: GuestDisk[];
  nics: GuestNic[];
  agent: AgentState;
  /** The notes (`description`), raw Markdown: untrusted, rendered through a sanitiser only. */
  description?: string;
  /** The description was longer than the app keeps; it was cut to this length. */
  descriptionTruncatedFrom?: number;
  digest?: string;
}

export interface NodeStorage {
  storage: string;
  type: string;
  content: string[];
  shared: boolean;
  active: boolean;
  enabled: boolean;
  used?: number;
  total?: number;
  avail?: number;
}

export interface NodeSummaryView {
  profileId: string;
  node: string;
  status: string;
  uptime?: number;
  cpu?: number;
  cpus?: number;
  cpuModel?: string;
  loadavg?: [number, number, number];
  memory?: { used: number; total: number };
  swap?: { used: number; total: number };
  /** Memory KSM shares, bytes. */
  ksmShared?: number;
  pveVersion?: string;
  kernel?: string;
  storages: NodeStorage[];
}

export interface ClusterNodeState {
  name: string;
  online: boolean;
  ip?: string;
}

export interface ClusterSummaryView {
  profileId: string;
  clusterName?: string;
  /** Absent when the user may not read `/cluster/status` (Sys.Audit). */
  quorate?: boolean;
  nodes: ClusterNodeState[];
}

export interface PoolSummaryView {
  profileId: string;
  pool: string;
  /** Untrusted text, cleaned of bidi controls and capped; absent when the pool has none or the user may not audit it. */
  comment?: string;
  /** False when the user may not audit the pool (PVE then leaves it out of `/pools`). */
  audited: boolean;
}
