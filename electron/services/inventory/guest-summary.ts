import type { AgentState, GuestNic, GuestSummary } from '../../../shared/domain/inventory';
import { agentEnabled, balloonMinimum, guestDisks, guestNics, parsePropertyString } from '../../../shared/pve/guest-config';
import { pveTags } from '../../../shared/pve/values';
import { withoutBidiControls } from '../../../shared/text/bidi-controls';
import { isPveError, type AgentInterface, type GuestConfig, type GuestStatus } from '../pve';
import { isAgentUnavailable, usableAddresses } from './guest-addresses';
import type { InventoryClient } from './inventory-sessions';
import { cleanText, maxTagLength, maxTags } from './resource-items';

/** Notes past this are cut: a 100 000-character description is already a document nobody reads in a summary. */
export const maxDescriptionLength = 100_000;

export interface GuestRef {
  profileId: string;
  node: string;
  vmid: number;
}

/** A guest's status, config and (when its agent is on and the guest runs) its addresses, as one summary. */
export async function readGuestSummary(client: InventoryClient, guest: GuestRef, pool: string | undefined): Promise<GuestSummary> {
  const [status, config] = await Promise.all([client.getGuestStatus(guest.node, guest.vmid), client.getGuestConfig(guest.node, guest.vmid)]);
  const agent = await readAgent(client, guest, status, config);
  return summaryOf(guest, status, config, agent, pool);
}

type AgentAnswer = { state: Exclude<AgentState, 'answered'> } | { state: 'answered'; interfaces: AgentInterface[] };

async function readAgent(client: InventoryClient, guest: GuestRef, status: GuestStatus, config: GuestConfig): Promise<AgentAnswer> {
  if (!agentEnabled(config)) return { state: 'disabled' };
  if (status.status !== 'running') return { state: 'not-running' };
  try {
    return { state: 'answered', interfaces: await client.getAgentInterfaces(guest.node, guest.vmid) };
  } catch (error) {
    if (isPveError(error, 'PERMISSION_DENIED')) return { state: 'no-permission' };
    if (isAgentUnavailable(error) || isPveError(error, 'TIMEOUT')) return { state: 'not-running' };
    throw error;
  }
}

function text(value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : cleanText(String(value));
}

function integer(value: string | number | undefined): number | undefined {
  const parsed = Number(value);
  return value !== undefined && Number.isInteger(parsed) ? parsed : undefined;
}

function withAddresses(nics: GuestNic[], agent: AgentAnswer): GuestNic[] {
  if (agent.state !== 'answered') return nics;
  return nics.map((nic) => {
    const addresses = usableAddresses(agent.interfaces.filter((found) => nic.mac !== undefined && found.mac === nic.mac).flatMap((found) => found.addresses));
    return addresses.length > 0 ? { ...nic, addresses } : nic;
  });
}

function description(config: GuestConfig): Pick<GuestSummary, 'description' | 'descriptionTruncatedFrom'> {
  if (config.description === undefined) return {};
  const notes = withoutBidiControls(String(config.description));
  if (notes.length <= maxDescriptionLength) return { description: notes };
  return { description: notes.slice(0, maxDescriptionLength), descriptionTruncatedFrom: notes.length };
}

function defined<T extends object>(fields: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function summaryOf(guest: GuestRef, status: GuestStatus, config: GuestConfig, agent: AgentAnswer, pool: string | undefined): GuestSummary {
  const tags = typeof config.tags === 'string' ? pveTags.parse(config.tags) : [];
  const balloonMin = balloonMinimum(config);
  const balloonActual = status.ballooninfo?.actual;
  const cpuType = typeof config.cpu === 'string' ? parsePropertyString(config.cpu, 'cputype').cputype : undefined;
  return {
    profileId: guest.profileId,
    node: guest.node,
    vmid: guest.vmid,
    status: cleanText(status.status),
    template: status.template ?? String(config.template) === '1',
    tags: tags.slice(0, maxTags).map((tag) => cleanText(tag, maxTagLength)),
    disks: guestDisks(config).map((disk) => ({ ...disk, volume: cleanText(disk.volume) })),
    nics: withAddresses(guestNics(config), agent).map((nic) => ({
      ...nic,
      model: cleanText(nic.model),
      ...(nic.bridge !== undefined ? { bridge: cleanText(nic.bridge) } : {}),
    })),
    agent: agent.state,
    ...defined({
      name: text(config.name ?? status.name),
      qmpstatus: text(status.qmpstatus),
      uptime: status.uptime,
      cpu: status.cpu,
      cpus: status.cpus,
      sockets: integer(config.sockets),
      cores: integer(config.cores),
      cpuType: text(cpuType),
      mem: status.mem,
      maxmem: status.maxmem,
      ostype: text(config.ostype),
      lock: text(status.lock ?? config.lock),
      pool: pool !== undefined ? cleanText(pool) : undefined,
      digest: text(config.digest),
    }),
    ...(balloonMin !== undefined || balloonActual !== undefined ? { balloon: defined({ min: balloonMin, actual: balloonActual }) } : {}),
    ...(status.ha !== undefined ? { ha: { managed: status.ha.managed, ...defined({ state: text(status.ha.state), group: text(status.ha.group) }) } } : {}),
    ...description(config),
  };
}
