import type { ClusterModel, LabGuest, LabPool } from './model';

/** The guest config keys the switch may set to anything, as a broken or hostile server would send them. */
export const RAW_GUEST_KEYS = ['name', 'description', 'tags'] as const;
export type RawGuestKey = (typeof RAW_GUEST_KEYS)[number];

export interface HostileState {
  /** Guests whose name, description or tags are raw values. */
  guests: number[];
  /** Pools whose comment is a raw value. */
  pools: string[];
  /** How many raw items every /cluster/resources answer ends with. */
  resources: number;
}

/**
 * Lab only (`POST /lab/hostile`): plays a broken or hostile PVE for the app's
 * tests, writing values PVE's own validation would refuse straight into the
 * inventory, so every endpoint that shows them (resources, config,
 * status/current, pools) answers them. The model keeps the values they
 * replaced and saves those, so nothing hostile outlives the lab; `clear()`
 * puts them back.
 */
export class HostileSwitch {
  private extraResources: readonly unknown[] = [];

  constructor(private readonly model: ClusterModel) {}

  setGuestValue(guest: LabGuest, key: RawGuestKey, value: string): void {
    let originals = this.model.originals.guests.get(guest.vmid);
    if (!originals) this.model.originals.guests.set(guest.vmid, (originals = new Map()));
    if (!originals.has(key)) originals.set(key, guest.config[key]);
    guest.config[key] = value;
  }

  setPoolComment(pool: LabPool, comment: string): void {
    if (!this.model.originals.pools.has(pool.poolid)) this.model.originals.pools.set(pool.poolid, pool.comment);
    pool.comment = comment;
  }

  /** Items appended verbatim to every /cluster/resources answer, whatever the filter or the caller's privileges. */
  setResources(items: readonly unknown[]): void {
    this.extraResources = items;
  }

  resources(): readonly unknown[] {
    return this.extraResources;
  }

  clear(): void {
    this.model.restoreOriginals();
    this.extraResources = [];
  }

  state(): HostileState {
    return {
      guests: [...this.model.originals.guests.keys()].sort((a, b) => a - b),
      pools: [...this.model.originals.pools.keys()].sort(),
      resources: this.extraResources.length,
    };
  }
}
