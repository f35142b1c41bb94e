import type { ClusterResource } from '../../../shared/pve/cluster';
import type { PveClient } from '../pve';
import type { GuestFactSource, GuestFactTuning } from './background-guest-facts';
import { isAgentUnavailable, usableAddresses } from './guest-addresses';

/** Addresses change with DHCP leases and new NICs: every running guest is asked again each minute. */
export const defaultAgentTuning: GuestFactTuning = {
  roundMs: 60_000,
  maxPerRound: 50,
  concurrency: 4,
  coolDownMs: 10 * 60_000,
  retryMs: 0,
  refreshMs: 0,
  callTimeoutMs: 10_000,
};

type RunningVm = ClusterResource & { node: string; vmid: number };

function isRunningVm(item: ClusterResource): item is RunningVm {
  return item.type === 'qemu' && item.status === 'running' && item.template !== true && item.node !== undefined && item.vmid !== undefined;
}

/** The addresses running QEMU guests' agents report, for searching the list by IP. */
export function agentAddressSource(client: () => Pick<PveClient, 'getAgentInterfaces'>): GuestFactSource<RunningVm, string[]> {
  return {
    name: 'agent',
    qualifies: isRunningVm,
    async read(guest, limits) {
      const nics = await client().getAgentInterfaces(guest.node, guest.vmid, limits);
      const addresses = usableAddresses(nics.flatMap((nic) => nic.addresses));
      return addresses.length > 0 ? addresses : undefined;
    },
    isUnreadable: isAgentUnavailable,
  };
}
