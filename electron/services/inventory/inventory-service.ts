import type { ClusterFeed, ClusterSummaryView, GuestSummary, InventoryPage, NodeSummaryView, PoolSummaryView } from '../../../shared/domain/inventory';
import type { JobView } from '../../../shared/domain/jobs';
import { IpcError } from '../../../shared/ipc/errors';
import type { EventHub } from '../ipc';
import type { Logger } from '../log';
import type { GuestFactTuning } from './background-guest-facts';
import { ClusterPoller, type PollTuning } from './cluster-poller';
import { readClusterSummary } from './cluster-summary';
import { readGuestSummary, type GuestRef } from './guest-summary';
import type { InventorySessions } from './inventory-sessions';
import { readNodeSummary } from './node-summary';
import { readPoolSummary } from './pool-summary';
import { powerGuests, type PowerJobs, type PowerRequest } from './power';

/** Poll intervals: a window shows the inventory, none does, the user is away. */
export interface PollRates {
  visibleMs: number;
  hiddenMs: number;
  idleMs: number;
}

export const defaultPollRates: PollRates = { visibleMs: 3000, hiddenMs: 15_000, idleMs: 30_000 };

export interface InventoryServiceOptions {
  sessions: InventorySessions;
  jobs: PowerJobs;
  events: Pick<EventHub, 'emit'>;
  logger: Logger;
  rates?: Partial<PollRates>;
  tuning?: Partial<PollTuning>;
  agentTuning?: Partial<GuestFactTuning>;
}

interface Feed {
  poller: ClusterPoller;
  /** The session it polls for: another one (a reconnect) starts a new feed. */
  session: object;
}

/**
 * The inventory of every open session: one poller per cluster, started when
 * its session opens and closed (with `inventory.closed`) when it ends; the
 * summaries and power actions the renderer asks for.
 */
export class InventoryService {
  private readonly feeds = new Map<string, Feed>();
  private readonly rates: PollRates;
  private activity = { visible: true, idle: false };
  private syncing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: InventoryServiceOptions) {
    this.rates = { ...defaultPollRates, ...options.rates };
    this.unsubscribe = options.sessions.onChange(() => this.sync());
    void this.sync();
  }

  list(): ClusterFeed[] {
    return [...this.feeds.values()].map(({ poller }) => poller.feed());
  }

  items(profileId: string, offset: number, limit: number, revision?: number): InventoryPage {
    return this.poller(profileId).page(offset, limit, revision);
  }

  /** What the renderer says of the user; answers the interval now in force. */
  setActivity(visible: boolean, idle: boolean): { pollMs: number } {
    const before = this.pollMs();
    this.activity = { visible, idle };
    if (this.pollMs() !== before) for (const { poller } of this.feeds.values()) poller.reschedule();
    return { pollMs: this.pollMs() };
  }

  guestSummary(guest: GuestRef): Promise<GuestSummary> {
    const pool = this.feeds.get(guest.profileId)?.poller.item(`qemu/${guest.vmid}`)?.pool;
    return readGuestSummary(this.options.sessions.client(guest.profileId), guest, pool);
  }

  nodeSummary(profileId: string, node: string): Promise<NodeSummaryView> {
    const status = this.feeds.get(profileId)?.poller.item(`node/${node}`)?.status;
    return readNodeSummary(this.options.sessions.client(profileId), profileId, node, status);
  }

  clusterSummary(profileId: string): Promise<ClusterSummaryView> {
    return readClusterSummary(this.options.sessions.client(profileId), profileId);
  }

  poolSummary(profileId: string, pool: string): Promise<PoolSummaryView> {
    return readPoolSummary(this.options.sessions.client(profileId), profileId, pool);
  }

  power(request: PowerRequest): Promise<JobView[]> {
    return powerGuests(request, {
      client: (profileId) => this.options.sessions.client(profileId),
      jobs: this.options.jobs,
      logger: this.options.logger,
      clusterName: (profileId) => {
        const cluster = this.feeds.get(profileId)?.poller.cluster;
        return cluster?.clusterName ?? cluster?.name;
      },
      guestName: ({ profileId, vmid }) => this.feeds.get(profileId)?.poller.item(`qemu/${vmid}`)?.name,
    });
  }

  close(): void {
    this.unsubscribe();
    for (const { poller } of this.feeds.values()) poller.close();
    this.feeds.clear();
  }

  private pollMs(): number {
    if (this.activity.idle) return this.rates.idleMs;
    return this.activity.visible ? this.rates.visibleMs : this.rates.hiddenMs;
  }

  private poller(profileId: string): ClusterPoller {
    const feed = this.feeds.get(profileId);
    if (feed === undefined) {
      throw new IpcError('NOT_FOUND', {
        en: 'This cluster is not connected (any more). Connect to it to see its inventory.',
        fr: 'Ce cluster n’est pas (ou plus) connecté. Connectez-vous-y pour voir son inventaire.',
      });
    }
    return feed.poller;
  }

  /** One change of the sessions at a time, in the order they came. */
  private sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.applySessions()).catch((error: unknown) => this.options.logger.error('inventory.sync-failed', { error }));
    return this.syncing;
  }

  private async applySessions(): Promise<void> {
    const { sessions } = this.options;
    const connected = await sessions.connected();
    for (const [profileId, feed] of [...this.feeds]) if (!this.isOpen(profileId, feed.session)) this.end(profileId);
    for (const cluster of connected) {
      const session = sessions.live(cluster.profileId);
      if (this.feeds.has(cluster.profileId) || session === undefined) continue;
      const poller = new ClusterPoller({
        cluster,
        client: () => sessions.client(cluster.profileId),
        isOpen: () => this.isOpen(cluster.profileId, session),
        onSessionGone: () => void this.sync(),
        intervalMs: () => this.pollMs(),
        emit: (delta) => this.options.events.emit('inventory.changed', delta),
        logger: this.options.logger,
        ...(this.options.tuning !== undefined ? { tuning: this.options.tuning } : {}),
        ...(this.options.agentTuning !== undefined ? { agentTuning: this.options.agentTuning } : {}),
      });
      this.feeds.set(cluster.profileId, { poller, session });
      poller.start();
    }
  }

  private isOpen(profileId: string, session: object): boolean {
    const live = this.options.sessions.live(profileId);
    return live === session && live.client.session !== undefined;
  }

  private end(profileId: string): void {
    this.feeds.get(profileId)?.poller.close();
    this.feeds.delete(profileId);
    this.options.events.emit('inventory.closed', { profileId });
  }
}
