import type { Logger } from '../log/logger';
import { endpointLabel, type PveEndpoint } from './endpoint';
import { TrustedAgent } from './tls/trusted-agent';

/**
 * The API endpoints of one cluster in the user's order, each with its own
 * trusted agent (pins are per endpoint: every node has its own certificate).
 * Remembers which endpoint answered last so later calls start there.
 */
export class EndpointPool {
  private readonly entries: { endpoint: PveEndpoint; agent: TrustedAgent }[];
  private activeIndex = 0;

  constructor(
    endpoints: readonly PveEndpoint[],
    private readonly options: { connectTimeoutMs?: number; logger: Logger; onActiveChanged: (active: PveEndpoint, previous: PveEndpoint) => void },
  ) {
    if (endpoints.length === 0) throw new TypeError('A PVE client needs at least one API endpoint.');
    this.entries = endpoints.map((endpoint) => ({
      endpoint,
      agent: new TrustedAgent(endpoint.trust, options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    }));
  }

  get active(): PveEndpoint {
    return this.entry(this.activeIndex).endpoint;
  }

  /** The active endpoint first, then the others in the configured order after it. */
  attemptOrder(): PveEndpoint[] {
    const count = this.entries.length;
    return Array.from({ length: count }, (_, offset) => this.entry((this.activeIndex + offset) % count).endpoint);
  }

  agentFor(endpoint: PveEndpoint): TrustedAgent {
    const found = this.entries.find((entry) => entry.endpoint === endpoint);
    if (found === undefined) throw new TypeError(`${endpointLabel(endpoint)} is not an endpoint of this cluster.`);
    return found.agent;
  }

  /** Sticks to an endpoint that just answered. */
  markWorking(endpoint: PveEndpoint): void {
    const index = this.entries.findIndex((entry) => entry.endpoint === endpoint);
    if (index < 0 || index === this.activeIndex) return;
    const previous = this.active;
    this.activeIndex = index;
    this.options.logger.info('pve.endpoint-changed', { from: endpointLabel(previous), to: endpointLabel(endpoint) });
    this.options.onActiveChanged(endpoint, previous);
  }

  /** Closes every kept-alive connection. */
  destroy(): void {
    for (const entry of this.entries) entry.agent.destroy();
  }

  private entry(index: number): { endpoint: PveEndpoint; agent: TrustedAgent } {
    const entry = this.entries[index];
    if (entry === undefined) throw new RangeError(`No endpoint at index ${index}.`);
    return entry;
  }
}
