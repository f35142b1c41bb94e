import type { ClusterFeed, FeedState, InventoryDelta, InventoryItem } from '../../../shared/domain/inventory';
import type { ClusterResource } from '../../../shared/pve/cluster';
import { carriedMessage, type CarriedMessage } from '../../../shared/text/sentence';
import { toErrorPayload } from '../ipc';
import type { Logger } from '../log';
import { isPveError } from '../pve';
import type { ConnectedCluster } from '../sessions';
import { agentAddressSource, defaultAgentTuning } from './agent-addresses';
import { BackgroundGuestFacts, type GuestFactSource, type GuestFactTuning } from './background-guest-facts';
import type { InventoryClient } from './inventory-sessions';
import { ItemRevisions } from './item-revisions';
import { defaultOsTypeTuning, osTypeSource } from './os-types';
import { parseResources, type SkippedItem } from './resource-items';

export interface PollTuning {
  /** First wait after a failed poll, doubled after each further failure. Default 3 s. */
  retryMs: number;
  /** Longest wait between retries. Default 30 s. */
  maxRetryMs: number;
  /** `/cluster/status` is read with every this many polls. Default 5. */
  statusEvery: number;
  /** Failed polls in a row after which the cluster is `unreachable`. Default 3. */
  unreachableAfter: number;
  /** More changed items than this are announced as a resync rather than sent. Default 500. */
  maxDeltaItems: number;
}

export const defaultPollTuning: PollTuning = { retryMs: 3000, maxRetryMs: 30_000, statusEvery: 5, unreachableAfter: 3, maxDeltaItems: 500 };

export interface ClusterPollerOptions {
  cluster: ConnectedCluster;
  client: () => InventoryClient;
  /**
   * Whether the session polled for is still the profile's open one. The
   * registry does not tell its listeners of every end (a deleted or edited
   * profile), so each poll asks first.
   */
  isOpen: () => boolean;
  /** Called instead of polling once the session is gone. */
  onSessionGone: () => void;
  /** The wait between two good polls now (it follows the user's activity). */
  intervalMs: () => number;
  emit: (delta: InventoryDelta) => void;
  logger: Logger;
  tuning?: Partial<PollTuning>;
  agentTuning?: Partial<GuestFactTuning>;
  osTypeTuning?: Partial<GuestFactTuning>;
}

/**
 * One connected cluster's inventory: `/cluster/resources` read one poll
 * after the other (never two at once), each answer turned into a new
 * revision of the items when something changed, and the feed's freshness
 * (live, stale, unreachable) kept and announced.
 */
export class ClusterPoller {
  readonly cluster: ConnectedCluster;
  private readonly revisions = new ItemRevisions();
  private readonly tuning: PollTuning;
  private readonly closing = new AbortController();
  private readonly agentAddresses: BackgroundGuestFacts<ClusterResource, string[]>;
  private readonly osTypes: BackgroundGuestFacts<ClusterResource, string>;
  /** Ids of malformed items already logged: each once for the life of the session. */
  private readonly loggedSkips = new Set<string>();
  private resources: readonly ClusterResource[] = [];
  private resourcesById = new Map<string, ClusterResource>();
  private state: FeedState = 'loading';
  private error: CarriedMessage | undefined;
  private lastSeenAt: string | undefined;
  private skipped = 0;
  private quorate: boolean | undefined;
  private failures = 0;
  private polls = 0;
  private polling = false;
  private timer: NodeJS.Timeout | undefined;
  private lateTimer: NodeJS.Timeout | undefined;
  private announced = '';

  constructor(private readonly options: ClusterPollerOptions) {
    this.cluster = options.cluster;
    this.tuning = { ...defaultPollTuning, ...options.tuning };
    this.agentAddresses = this.backgroundFacts(agentAddressSource(options.client), { ...defaultAgentTuning, ...options.agentTuning });
    this.osTypes = this.backgroundFacts(osTypeSource(options.client), { ...defaultOsTypeTuning, ...options.osTypeTuning });
  }

  start(): void {
    void this.poll();
  }

  /** The interval changed (the window was shown or hidden): the wait under way is replaced by the new one. */
  reschedule(): void {
    if (this.timer === undefined || this.failures > 0) return;
    clearTimeout(this.timer);
    this.schedule(this.options.intervalMs());
  }

  close(): void {
    this.closing.abort();
    clearTimeout(this.timer);
    clearTimeout(this.lateTimer);
  }

  feed(): ClusterFeed {
    const { profileId, name, clusterName, userid } = this.cluster;
    return {
      profileId,
      name,
      ...(clusterName !== undefined ? { clusterName } : {}),
      ...(userid !== undefined ? { userid } : {}),
      state: this.state,
      ...(this.lastSeenAt !== undefined ? { lastSeenAt: this.lastSeenAt } : {}),
      ...(this.error !== undefined ? { error: this.error.message } : {}),
      ...(this.error?.translations !== undefined ? { errorTranslations: this.error.translations } : {}),
      revision: this.revisions.revision,
      count: this.revisions.count,
      skipped: this.skipped,
      ...(this.quorate !== undefined ? { quorate: this.quorate } : {}),
    };
  }

  page(offset: number, limit: number, revision?: number): ReturnType<ItemRevisions['page']> {
    return this.revisions.page(offset, limit, revision);
  }

  /** The current item of `id` (`qemu/100`, `node/pve1`), as the list shows it. */
  item(id: string): ClusterResource | undefined {
    return this.resourcesById.get(id);
  }

  private backgroundFacts<G extends ClusterResource, T>(source: GuestFactSource<G, T>, tuning: GuestFactTuning): BackgroundGuestFacts<G, T> {
    return new BackgroundGuestFacts({
      profileId: this.cluster.profileId,
      source,
      tuning,
      onChanged: () => this.publish(),
      logger: this.options.logger,
      signal: this.closing.signal,
    });
  }

  private schedule(waitMs: number): void {
    this.timer = setTimeout(() => void this.poll(), waitMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closing.signal.aborted) return;
    if (!this.options.isOpen()) {
      this.options.onSessionGone();
      return;
    }
    this.polling = true;
    this.timer = undefined;
    const intervalMs = this.options.intervalMs();
    this.lateTimer = setTimeout(() => this.late(intervalMs), 2 * intervalMs);
    this.lateTimer.unref();
    try {
      const signal = this.closing.signal;
      const client = this.options.client();
      const readStatus = this.polls % this.tuning.statusEvery === 0;
      const [answer] = await Promise.all([client.getClusterResourceList({ signal }), readStatus ? this.readQuorum(client, signal) : undefined]);
      this.polls += 1;
      this.succeeded(parseResources(answer));
    } catch (error) {
      if (!this.closing.signal.aborted) this.failed(error);
    } finally {
      this.polling = false;
      clearTimeout(this.lateTimer);
      if (!this.closing.signal.aborted) this.schedule(this.failures > 0 ? this.retryWait() : this.options.intervalMs());
    }
  }

  /** `quorate` needs Sys.Audit: without it the feed simply has none. Any other failure keeps the last value. */
  private async readQuorum(client: InventoryClient, signal: AbortSignal): Promise<void> {
    try {
      this.quorate = (await client.getClusterStatus({ signal })).cluster?.quorate;
    } catch (error) {
      if (isPveError(error, 'PERMISSION_DENIED')) this.quorate = undefined;
    }
  }

  private retryWait(): number {
    return Math.min(this.tuning.maxRetryMs, this.tuning.retryMs * 2 ** (this.failures - 1));
  }

  private succeeded({ items, skipped }: { items: ClusterResource[]; skipped: SkippedItem[] }): void {
    this.failures = 0;
    this.state = 'live';
    this.error = undefined;
    this.lastSeenAt = new Date().toISOString();
    this.skipped = skipped.length;
    for (const { id, fields } of skipped) {
      if (this.loggedSkips.has(id)) continue;
      this.loggedSkips.add(id);
      this.options.logger.warn('inventory.item-skipped', { profile: this.cluster.profileId, id, fields });
    }
    this.resources = items;
    this.resourcesById = new Map(items.map((item) => [item.id, item]));
    this.agentAddresses.consider(items);
    this.osTypes.consider(items);
    this.publish();
  }

  private failed(error: unknown): void {
    this.failures += 1;
    this.state = this.failures >= this.tuning.unreachableAfter ? 'unreachable' : 'stale';
    const { code: _code, ...message } = toErrorPayload(error, { method: 'GET /cluster/resources', logger: this.options.logger });
    this.error = message;
    this.options.logger.warn('inventory.poll-failed', { profile: this.cluster.profileId, failures: this.failures, error: message.message });
    this.publish();
  }

  /** A poll still waiting after two intervals: the data shown is getting old. */
  private late(intervalMs: number): void {
    if (this.state !== 'live') return;
    this.state = 'stale';
    const seconds = Math.round((2 * intervalMs) / 1000);
    this.error = carriedMessage({
      en: `The cluster has not answered for ${seconds} seconds; what is shown may be out of date. It updates by itself when the cluster answers.`,
      fr: `Le cluster ne répond plus depuis ${seconds} secondes ; ce qui est affiché n’est peut-être plus à jour. L’affichage se met à jour de lui-même dès que le cluster répond.`,
    });
    this.publish();
  }

  /** Sends what changed since the last revision, or only the feed when just its freshness changed. */
  private publish(): void {
    if (this.closing.signal.aborted) return;
    const items: InventoryItem[] = this.resources.map((resource) => {
      const ips = this.agentAddresses.of(resource.id);
      const ostype = this.osTypes.of(resource.id);
      if (ips === undefined && ostype === undefined) return resource;
      return { ...resource, ...(ips !== undefined ? { ips } : {}), ...(ostype !== undefined ? { ostype } : {}) };
    });
    const change = this.revisions.apply(items);
    const feed = this.feed();
    const freshness = JSON.stringify([feed.state, feed.error, feed.skipped, feed.quorate]);
    if (change === undefined && freshness === this.announced) return;
    this.announced = freshness;
    if (change === undefined) {
      this.options.emit({ feed, baseRevision: feed.revision, upserted: [], removed: [] });
    } else if (change.upserted.length + change.removed.length > this.tuning.maxDeltaItems) {
      this.options.emit({ feed, baseRevision: change.baseRevision, upserted: [], removed: [], resync: true });
    } else {
      this.options.emit({ feed, baseRevision: change.baseRevision, upserted: change.upserted, removed: change.removed });
    }
  }
}
