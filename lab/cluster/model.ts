import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { GuestConfig, LabNodeInfo } from '../contracts';

export interface GuestSnapshot {
  name: string;
  snaptime: number;
  vmstate: boolean;
  description: string;
  parent?: string;
  config: GuestConfig;
  /** The guest's `[PENDING]` section when the snapshot was taken. */
  pending?: GuestConfig;
}

export interface LabGuest {
  vmid: number;
  node: string;
  config: GuestConfig;
  /** The config's `[PENDING]` section (changes waiting for the next start; `delete` lists keys to remove), see pending.ts. */
  pending?: GuestConfig;
  snapshots: GuestSnapshot[];
  pool?: string;
  /** HA manager state shown as `hastate` (`started`, `stopped`…) when the guest is HA-managed. */
  hastate?: string;
  /** The HA resource's other settings of PVE's ha/resources.cfg (set with hastate). */
  ha?: HaSettings;
  /** PVE's config lock (`backup`, `migrate`, `snapshot`, `rollback`, `create`, `clone`). */
  lock?: string;
  /** Scale-test guests from `--guests N`: not persisted, disks created only when started. */
  synthetic?: boolean;
}

/** An HA resource's settings besides its requested state (pve-ha-manager `PVE/HA/Resources.pm`). */
export interface HaSettings {
  max_restart?: number;
  max_relocate?: number;
  comment?: string;
}

export interface LabPool {
  poolid: string;
  comment: string;
}

export interface LabNode extends LabNodeInfo {
  maxcpu: number;
  maxmem: number;
  ip: string;
  /** 1-based node id in the cluster, as corosync numbers them. */
  nodeid: number;
}

/** A backup job of PVE's `jobs.cfg` (`vzdump` section): its id plus the job's vzdump parameters, as PVE stores them. */
export interface LabBackupJob {
  id: string;
  [key: string]: string | number;
}

interface PersistedModel {
  guests: LabGuest[];
  pools: LabPool[];
  backupJobs?: LabBackupJob[];
}

/** The cluster's inventory, in memory (PVE's /etc/pve), persisted to the state dir without the synthetic guests. */
export class ClusterModel {
  readonly guests = new Map<number, LabGuest>();
  readonly pools = new Map<string, LabPool>();
  readonly backupJobs = new Map<string, LabBackupJob>();
  /** Values the lab's hostile switch replaced (undefined: the key was absent): saved in place of the raw ones. */
  readonly originals = { guests: new Map<number, Map<string, string | undefined>>(), pools: new Map<string, string>() };
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly nodes: LabNode[],
    private readonly stateFile: string,
  ) {}

  static fileIn(clusterDir: string): string {
    return join(clusterDir, 'inventory.json');
  }

  load(): boolean {
    if (!existsSync(this.stateFile)) return false;
    const data = JSON.parse(readFileSync(this.stateFile, 'utf8')) as PersistedModel;
    for (const pool of data.pools) this.pools.set(pool.poolid, pool);
    for (const job of data.backupJobs ?? []) this.backupJobs.set(job.id, job);
    for (const guest of data.guests) if (this.node(guest.node)) this.guests.set(guest.vmid, guest);
    return true;
  }

  /** Debounced: config changes come in bursts. */
  changed(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), 500);
    this.saveTimer.unref();
  }

  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const data: PersistedModel = {
      guests: [...this.guests.values()].filter((g) => !g.synthetic).map((g) => this.persistable(g)),
      pools: [...this.pools.values()].map((p) => ({ ...p, comment: this.originals.pools.get(p.poolid) ?? p.comment })),
      backupJobs: [...this.backupJobs.values()],
    };
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(data));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }

  private persistable(guest: LabGuest): LabGuest {
    const originals = this.originals.guests.get(guest.vmid);
    if (!originals) return guest;
    const config = { ...guest.config };
    putBack(config, originals);
    return { ...guest, config };
  }

  /** Puts back every value the hostile switch replaced. */
  restoreOriginals(): void {
    for (const [vmid, originals] of this.originals.guests) {
      const guest = this.guests.get(vmid);
      if (guest) putBack(guest.config, originals);
    }
    for (const [poolid, comment] of this.originals.pools) {
      const pool = this.pools.get(poolid);
      if (pool) pool.comment = comment;
    }
    this.originals.guests.clear();
    this.originals.pools.clear();
  }

  node(name: string): LabNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  guestsOn(node: string): LabGuest[] {
    return [...this.guests.values()].filter((g) => g.node === node);
  }

  poolMembers(poolid: string): LabGuest[] {
    return [...this.guests.values()].filter((g) => g.pool === poolid);
  }

  /** PVE's /cluster/nextid: the lowest free id from 100. */
  nextId(from = 100): number {
    for (let id = from; ; id++) if (!this.guests.has(id)) return id;
  }
}

function putBack(config: GuestConfig, originals: Map<string, string | undefined>): void {
  for (const [key, value] of originals) {
    if (value === undefined) Reflect.deleteProperty(config, key);
    else config[key] = value;
  }
}
