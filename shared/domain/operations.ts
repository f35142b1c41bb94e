import type { Translations } from '../text/sentence';

/**
 * Operations on guests and clusters (create, configure, snapshot, back up,
 * migrate, move disks, HA, graphs): what crosses IPC, as the renderer shows it.
 * Values keep PVE's own units unless a field says otherwise.
 */

/** A config value as PVE answers it: property strings stay strings, counts may be numbers. */
export type ConfigValue = string | number;

/**
 * One key of `GET .../pending` (qemu-server `vm_pending`): `value` is what runs
 * now, `pending` what applies at the next start, `delete` set when the key is
 * to be removed (2 = forced).
 */
export interface PendingEntry {
  key: string;
  value?: ConfigValue;
  pending?: ConfigValue;
  delete?: 1 | 2;
}

export interface GuestConfigView {
  /** The config's digest: sent back with a change so a concurrent edit is refused instead of overwritten. */
  digest: string;
  entries: PendingEntry[];
  /** The guest runs: changes PVE cannot hotplug wait in `pending` until its next start. */
  running: boolean;
}

/** `operations.updateConfig`'s change: keys to set, keys to remove, pending changes to drop. */
export interface ConfigChange {
  set: Record<string, ConfigValue>;
  delete: string[];
  revert: string[];
}

export const diskBuses = ['scsi', 'virtio', 'sata', 'ide'] as const;
export type DiskBus = (typeof diskBuses)[number];

export const diskFormats = ['raw', 'qcow2', 'vmdk'] as const;
export type DiskFormat = (typeof diskFormats)[number];

export const nicModels = ['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3'] as const;
export type NicModel = (typeof nicModels)[number];

/** qemu-server's `ostype` values. */
export const osTypes = ['l26', 'l24', 'win11', 'win10', 'win8', 'win7', 'w2k8', 'wvista', 'wxp', 'w2k3', 'w2k', 'solaris', 'other'] as const;
export type OsType = (typeof osTypes)[number];

/** A storage of a node as `GET /nodes/{node}/storage` lists it. */
export interface StorageView {
  storage: string;
  type: string;
  content: string[];
  shared: boolean;
  active: boolean;
  /** Bytes. */
  avail?: number;
  total?: number;
  used?: number;
}

/** One volume of `.../storage/{storage}/content`. */
export interface VolumeView {
  volid: string;
  content: string;
  format: string;
  /** Bytes. */
  size: number;
  vmid?: number;
  /** Unix seconds. */
  ctime?: number;
  notes?: string;
  protected?: boolean;
}

/** A backup archive: a volume of content `backup`, with the storage it is on. */
export interface BackupView extends VolumeView {
  storage: string;
}

export interface CreateVmRequest {
  profileId: string;
  node: string;
  vmid: number;
  name: string;
  ostype: OsType;
  /** An ISO volume (`local:iso/debian.iso`) for the CD drive, or none. */
  iso?: string;
  sockets: number;
  cores: number;
  /** MiB. */
  memory: number;
  /** Balloon minimum, MiB; 0 = no balloon device; absent = PVE's default (the memory). */
  balloon?: number;
  disk: { bus: DiskBus; storage: string; sizeGiB: number; format?: DiskFormat };
  nic: { model: NicModel; bridge: string };
  agent: boolean;
  start: boolean;
  pool?: string;
}

export interface CloneRequest {
  profileId: string;
  node: string;
  vmid: number;
  newid: number;
  name: string;
  /** Node the clone lands on; the template's when absent. */
  target?: string;
  /** Full copy, or a linked clone of a template. */
  full: boolean;
  storage?: string;
  format?: DiskFormat;
  pool?: string;
}

/** One snapshot of `GET .../snapshot`; the entry `current` is the running state, child of the snapshot it came from. */
export interface SnapshotView {
  name: string;
  description?: string;
  /** Unix seconds; absent for `current`. */
  snaptime?: number;
  /** The RAM was saved with it. */
  vmstate: boolean;
  parent?: string;
}

export const backupModes = ['snapshot', 'suspend', 'stop'] as const;
export type BackupMode = (typeof backupModes)[number];
export const backupCompressions = ['zstd', 'gzip', 'lzo', '0'] as const;
export type BackupCompression = (typeof backupCompressions)[number];

/** `prune-backups` (pve-common `PVE::JSONSchema` `prune-backups` format); absent keys are not limited. */
export interface Retention {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  /** Keep every backup (`keep-all=1`). */
  keepAll?: boolean;
}

export type BackupSelection = { kind: 'all'; exclude: number[] } | { kind: 'guests'; vmids: number[] } | { kind: 'pool'; pool: string };

/** A job of `/cluster/backup` (pve-manager `PVE/API2/Backup.pm`). */
export interface BackupJobView {
  id: string;
  enabled: boolean;
  /** PVE's calendar event, such as `sat 02:00`. */
  schedule: string;
  /** Limited to one node; every node when absent. */
  node?: string;
  storage: string;
  mode: BackupMode;
  compress: BackupCompression;
  selection: BackupSelection;
  retention?: Retention;
  comment?: string;
  notesTemplate?: string;
}

export type BackupJobDraft = Omit<BackupJobView, 'id'> & { id?: string };

/** A node the guest could move to, and why not when it cannot. */
export interface MigrationTarget {
  node: string;
  online: boolean;
  allowed: boolean;
  /** Storages or resources missing there. */
  reasons: string[];
  /** Memory free there, bytes, as `/cluster/resources` last said. */
  freeMemory?: number;
}

/** `GET .../migrate` read for the dialog. */
export interface MigrationCheck {
  running: boolean;
  targets: MigrationTarget[];
  /** Disks on storages only this node has: live migration must copy them (`with-local-disks`). */
  localDisks: { volid: string; drive?: string; size?: number; cdrom: boolean }[];
  /** Devices that pin the guest to its node (passthrough, local CD images, `clipboard=vnc` before QEMU 10.1). */
  localResources: string[];
}

/** One guest of a node evacuation and where it should go. */
export interface EvacuationMove {
  vmid: number;
  name?: string;
  /** Bytes of memory it takes. */
  memory: number;
  running: boolean;
  target?: string;
  /** Why it cannot move (no node may take it, local resources…), in English. */
  blocked?: string;
  /** The same in the app's other languages. */
  blockedTranslations?: Translations;
}

export interface EvacuationPlan {
  node: string;
  moves: EvacuationMove[];
  /** Memory free on each target after the plan, bytes. */
  freeAfter: Record<string, number>;
}

export const haStates = ['started', 'stopped', 'enabled', 'disabled', 'ignored'] as const;
export type HaState = (typeof haStates)[number];

/** A guest's HA resource (`/cluster/ha/resources/vm:<vmid>`). */
export interface HaResourceView {
  sid: string;
  state: HaState;
  /** PVE 8's HA groups; PVE 9 uses rules instead and refuses it. */
  group?: string;
  maxRestart: number;
  maxRelocate: number;
  comment?: string;
  digest?: string;
}

export const rrdTimeframes = ['hour', 'day', 'week', 'month', 'year'] as const;
export type RrdTimeframe = (typeof rrdTimeframes)[number];
export const rrdConsolidations = ['AVERAGE', 'MAX'] as const;
export type RrdConsolidation = (typeof rrdConsolidations)[number];

/**
 * RRD rows by column: `time` in Unix seconds, and for each metric PVE sent
 * (`cpu`, `maxcpu`, `mem`, `maxmem`, `netin`, `netout`, `diskread`,
 * `diskwrite`; nodes also `loadavg`, `memused`, `memtotal`, `iowait`, …) one
 * value per row, null where the row lacks it.
 */
export interface RrdSeries {
  time: number[];
  metrics: Record<string, (number | null)[]>;
}
