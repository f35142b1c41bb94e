import type { ClusterResource } from '../../../shared/pve/cluster';
import type { Logger } from '../log';
import { mapLimited } from './limited-concurrency';
import { sameValue } from './resource-items';

export interface GuestFactTuning {
  /** Least time between two rounds of one cluster; a round starts from a poll's answer, so there is never more than one a poll. */
  roundMs: number;
  /** Guests read per round; the ones asked longest ago first. */
  maxPerRound: number;
  /** Calls at once. */
  concurrency: number;
  /** How long a guest that cannot be read (nobody there to ask, no right to ask, gone) is left alone. */
  coolDownMs: number;
  /** How long a guest whose read failed otherwise (a timeout, a node not answering) waits before it is asked again. */
  retryMs: number;
  /** A fact read this long ago is read again; 0 reads it every round. */
  refreshMs: number;
  /** Per call: a hung guest must not hold a round. */
  callTimeoutMs: number;
}

/** One kind of fact: which guests have it and how one guest's is read. The rest (rounds, cool-down, publishing) is the same for all. */
export interface GuestFactSource<G extends ClusterResource, T> {
  /** Names the fact in log lines (`inventory.<name>-failed`). */
  name: string;
  qualifies(item: ClusterResource): item is G;
  /** The guest's fact, `undefined` when it has none. */
  read(guest: G, limits: { signal: AbortSignal; timeoutMs: number }): Promise<T | undefined>;
  /** Failures that mean the guest cannot be read for a while: it is left alone for the cool-down and its fact forgotten. */
  isUnreadable(error: unknown): boolean;
}

export interface BackgroundGuestFactsOptions<G extends ClusterResource, T> {
  profileId: string;
  source: GuestFactSource<G, T>;
  tuning: GuestFactTuning;
  /** Some guest's fact changed: the items must be published again. */
  onChanged: () => void;
  logger: Logger;
  signal: AbortSignal;
  now?: () => number;
}

/**
 * Facts of guests that `/cluster/resources` does not carry and each guest
 * must be asked for, one call each: read in the background, a bounded round
 * at a time, never in the way of the resources poll; the poller merges them
 * into the items it publishes.
 */
export class BackgroundGuestFacts<G extends ClusterResource, T> {
  private readonly facts = new Map<string, T>();
  private readonly readAt = new Map<string, number>();
  private readonly lastAsked = new Map<string, number>();
  private readonly leftAloneUntil = new Map<string, number>();
  private readonly now: () => number;
  private lastRound = Number.NEGATIVE_INFINITY;
  private running = false;

  constructor(private readonly options: BackgroundGuestFactsOptions<G, T>) {
    this.now = options.now ?? Date.now;
  }

  /** Called with every good answer: forgets guests that no longer qualify, and starts a round when one is due. */
  consider(items: readonly ClusterResource[]): void {
    const { source, tuning } = this.options;
    const qualifying = items.filter((item) => source.qualifies(item));
    const live = new Set(qualifying.map((item) => item.id));
    for (const map of [this.facts, this.readAt, this.lastAsked, this.leftAloneUntil]) {
      for (const id of map.keys()) if (!live.has(id)) map.delete(id);
    }
    const now = this.now();
    if (this.running || now - this.lastRound < tuning.roundMs) return;
    const due = qualifying
      .filter((item) => (this.leftAloneUntil.get(item.id) ?? 0) <= now && now - (this.readAt.get(item.id) ?? Number.NEGATIVE_INFINITY) >= tuning.refreshMs)
      .sort((a, b) => (this.lastAsked.get(a.id) ?? 0) - (this.lastAsked.get(b.id) ?? 0))
      .slice(0, tuning.maxPerRound);
    if (due.length === 0) return;
    this.lastRound = now;
    this.running = true;
    void this.round(due).finally(() => {
      this.running = false;
    });
  }

  /** The fact of a guest, when it was read. */
  of(id: string): T | undefined {
    return this.facts.get(id);
  }

  private async round(guests: readonly G[]): Promise<void> {
    const changes = await mapLimited(guests, this.options.tuning.concurrency, (guest) => this.ask(guest));
    if (changes.includes(true) && !this.options.signal.aborted) this.options.onChanged();
  }

  /** Reads one guest's fact; says whether it changed. */
  private async ask(guest: G): Promise<boolean> {
    const { source, tuning, signal } = this.options;
    if (signal.aborted) return false;
    this.lastAsked.set(guest.id, this.now());
    try {
      const fact = await source.read(guest, { signal, timeoutMs: tuning.callTimeoutMs });
      this.readAt.set(guest.id, this.now());
      return this.store(guest.id, fact);
    } catch (error) {
      if (source.isUnreadable(error)) {
        this.leftAloneUntil.set(guest.id, this.now() + tuning.coolDownMs);
        return this.store(guest.id, undefined);
      }
      this.leftAloneUntil.set(guest.id, this.now() + tuning.retryMs);
      if (!signal.aborted) {
        this.options.logger.debug(`inventory.${source.name}-failed`, {
          profile: this.options.profileId,
          id: guest.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return false;
    }
  }

  private store(id: string, fact: T | undefined): boolean {
    const previous = this.facts.get(id);
    if (fact === undefined) this.facts.delete(id);
    else this.facts.set(id, fact);
    if (previous === undefined || fact === undefined) return previous !== fact;
    return !sameValue(previous, fact);
  }
}
