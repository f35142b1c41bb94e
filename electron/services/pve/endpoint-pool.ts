import type { Logger } from '../log';
import { endpointLabel, type PveEndpoint } from './endpoint';
import type { CertificateFingerprint } from './tls/fingerprint';
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
    this.entries = endpoints.map((endpoint) => ({ endpoint, agent: this.agentTrusting(endpoint.trust) }));
  }

  /** Every endpoint in the configured order, with the trust each has now. */
  get endpoints(): PveEndpoint[] {
    return this.entries.map((entry) => entry.endpoint);
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
    // By address: a pin learned meanwhile replaces the endpoint object a caller may still hold.
    const found = this.entries.find((entry) => endpointLabel(entry.endpoint) === endpointLabel(endpoint));
    if (found === undefined) throw new TypeError(`${endpointLabel(endpoint)} is not an endpoint of this cluster.`);
    return found.agent;
  }

  /** Pins the endpoint at `index` from now on (a pin the cluster proved); its unverified connections are closed. */
  pin(index: number, fingerprint: CertificateFingerprint): void {
    const entry = this.entry(index);
    entry.agent.destroy();
    entry.endpoint = { ...entry.endpoint, trust: { mode: 'pinned', fingerprint } };
    entry.agent = this.agentTrusting(entry.endpoint.trust);
  }

  /** Sticks to an endpoint that just answered. */
  markWorking(endpoint: PveEndpoint): void {
    const index = this.entries.findIndex((entry) => endpointLabel(entry.endpoint) === endpointLabel(endpoint));
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

  private agentTrusting(trust: PveEndpoint['trust']): TrustedAgent {
    return new TrustedAgent(trust, this.options.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.options.connectTimeoutMs } : {});
  }

  private entry(index: number): { endpoint: PveEndpoint; agent: TrustedAgent } {
    const entry = this.entries[index];
    if (entry === undefined) throw new RangeError(`No endpoint at index ${index}.`);
    return entry;
  }
}
