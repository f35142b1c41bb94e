import type { ClusterResource } from '../../../shared/pve/cluster';
import type { Logger } from '../log';
import type { PveClient } from '../pve';
import { isAgentUnavailable, usableAddresses } from './guest-addresses';
import { mapLimited } from './limited-concurrency';

export interface AgentAddressTuning {
  /** Least time between two rounds of one cluster. Default 60 s. */
  roundMs: number;
  /** Guests asked per round; the ones asked longest ago first. Default 50. */
  maxPerRound: number;
  /** Calls at once. Default 4. */
  concurrency: number;
  /** How long a guest whose agent cannot answer is left alone. Default 10 minutes. */
  coolDownMs: number;
  /** Per call: a hung agent must not hold a round. Default 10 s. */
  callTimeoutMs: number;
}

export const defaultAgentTuning: AgentAddressTuning = { roundMs: 60_000, maxPerRound: 50, concurrency: 4, coolDownMs: 10 * 60_000, callTimeoutMs: 10_000 };

export interface AgentAddressesOptions {
  profileId: string;
  client: () => Pick<PveClient, 'getAgentInterfaces'>;
  /** Some guest's addresses changed: the items must be published again. */
  onChanged: () => void;
  logger: Logger;
  signal: AbortSignal;
  tuning?: Partial<AgentAddressTuning>;
  now?: () => number;
}

function isRunningVm(item: ClusterResource): item is ClusterResource & { node: string; vmid: number } {
  return item.type === 'qemu' && item.status === 'running' && item.template !== true && item.node !== undefined && item.vmid !== undefined;
}

/**
 * The addresses running QEMU guests' agents report, for searching the list by
 * IP: asked in the background, a bounded round at a time, never in the way
 * of the resources poll.
 */
export class AgentAddresses {
  private readonly addresses = new Map<string, string[]>();
  private readonly coolDownUntil = new Map<string, number>();
  private readonly lastAsked = new Map<string, number>();
  private readonly tuning: AgentAddressTuning;
  private readonly now: () => number;
  private lastRound = Number.NEGATIVE_INFINITY;
  private running = false;

  constructor(private readonly options: AgentAddressesOptions) {
    this.tuning = { ...defaultAgentTuning, ...options.tuning };
    this.now = options.now ?? Date.now;
  }

  /** Called with every good answer: forgets guests that stopped, and starts a round when one is due. */
  consider(items: readonly ClusterResource[]): void {
    const running = items.filter(isRunningVm);
    const live = new Set(running.map((item) => item.id));
    for (const map of [this.addresses, this.coolDownUntil, this.lastAsked]) {
      for (const id of map.keys()) if (!live.has(id)) map.delete(id);
    }
    const now = this.now();
    if (this.running || now - this.lastRound < this.tuning.roundMs) return;
    const due = running
      .filter((item) => (this.coolDownUntil.get(item.id) ?? 0) <= now)
      .sort((a, b) => (this.lastAsked.get(a.id) ?? 0) - (this.lastAsked.get(b.id) ?? 0))
      .slice(0, this.tuning.maxPerRound);
    if (due.length === 0) return;
    this.lastRound = now;
    this.running = true;
    void this.round(due).finally(() => {
      this.running = false;
    });
  }

  /** The addresses of a running guest whose agent answered. */
  of(id: string): string[] | undefined {
    return this.addresses.get(id);
  }

  private async round(guests: readonly (ClusterResource & { node: string; vmid: number })[]): Promise<void> {
    const changes = await mapLimited(guests, this.tuning.concurrency, (guest) => this.ask(guest));
    if (changes.includes(true) && !this.options.signal.aborted) this.options.onChanged();
  }

  /** Asks one guest's agent; says whether its addresses changed. */
  private async ask(guest: ClusterResource & { node: string; vmid: number }): Promise<boolean> {
    if (this.options.signal.aborted) return false;
    this.lastAsked.set(guest.id, this.now());
    try {
      const nics = await this.options
        .client()
        .getAgentInterfaces(guest.node, guest.vmid, { signal: this.options.signal, timeoutMs: this.tuning.callTimeoutMs });
      return this.store(guest.id, usableAddresses(nics.flatMap((nic) => nic.addresses)));
    } catch (error) {
      if (isAgentUnavailable(error)) {
        this.coolDownUntil.set(guest.id, this.now() + this.tuning.coolDownMs);
        return this.store(guest.id, []);
      }
      if (!this.options.signal.aborted) {
        this.options.logger.debug('inventory.agent-failed', {
          profile: this.options.profileId,
          id: guest.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return false;
    }
  }

  private store(id: string, addresses: string[]): boolean {
    const previous = this.addresses.get(id) ?? [];
    if (addresses.length === 0) this.addresses.delete(id);
    else this.addresses.set(id, addresses);
    return previous.length !== addresses.length || previous.some((address, index) => address !== addresses[index]);
  }
}
