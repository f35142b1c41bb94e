import { cpuCount, maxDisk, memoryBytes } from '../cluster/guest-config';
import type { LabGuest } from '../cluster/model';
import type { ClusterServices } from '../cluster/services';
import type { RequestContext } from './context';
import { ApiError } from './errors';

export type GuestStatus = 'running' | 'stopped' | 'unknown';

/** What the lab knows about a guest right now: runtime state plus the collector's latest sample. */
export function guestState(lab: ClusterServices, guest: LabGuest): Record<string, unknown> {
  const offline = lab.faults.isOffline(guest.node);
  const info = offline ? undefined : lab.runtime.info(guest.vmid);
  const sample = info ? lab.stats.sampleOf(guest.vmid) : undefined;
  // qemu-server's vmstatus says `cpus`; only /cluster/resources calls the same figure `maxcpu`.
  const cpus = cpuCount(guest.config);
  const state: Record<string, unknown> = {
    status: offline ? 'unknown' : info ? 'running' : 'stopped',
    name: guest.config.name ?? `VM ${guest.vmid}`,
    vmid: guest.vmid,
    cpu: sample ? sample.cpu / Math.max(1, cpus) : 0,
    cpus,
    mem: sample?.mem ?? 0,
    maxmem: memoryBytes(guest.config),
    disk: 0,
    maxdisk: maxDisk(guest.config),
    netin: sample?.netin ?? 0,
    netout: sample?.netout ?? 0,
    diskread: sample?.diskread ?? 0,
    diskwrite: sample?.diskwrite ?? 0,
    uptime: info ? Math.max(0, Math.floor(Date.now() / 1000) - info.startedAt) : 0,
  };
  if (info) {
    state.pid = info.pid;
    state.qmpstatus = info.qmpstatus;
  }
  return state;
}

/** The guest as one /cluster/resources item. */
export function guestResource(lab: ClusterServices, guest: LabGuest): Record<string, unknown> {
  const state = guestState(lab, guest);
  const item: Record<string, unknown> = {
    id: `qemu/${guest.vmid}`,
    type: 'qemu',
    node: guest.node,
    vmid: guest.vmid,
    name: state.name,
    status: state.status,
    cpu: state.cpu,
    maxcpu: state.cpus,
    mem: state.mem,
    maxmem: state.maxmem,
    disk: 0,
    maxdisk: state.maxdisk,
    netin: state.netin,
    netout: state.netout,
    diskread: state.diskread,
    diskwrite: state.diskwrite,
    uptime: state.uptime,
    template: guest.config.template === '1' ? 1 : 0,
  };
  if (guest.config.tags) item.tags = guest.config.tags;
  if (guest.pool) item.pool = guest.pool;
  if (guest.hastate) item.hastate = guest.hastate;
  if (guest.lock) item.lock = guest.lock;
  return item;
}

/** The guest at `/nodes/{node}/qemu/{vmid}`; PVE answers 500 when it is not on that node. */
export function guestAt(ctx: RequestContext): LabGuest {
  const vmid = Number(ctx.param('vmid'));
  const node = ctx.param('node');
  if (!ctx.lab.model.node(node))
    throw new ApiError(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
  const guest = ctx.lab.model.guests.get(vmid);
  if (!Number.isInteger(vmid) || !guest || guest.node !== node)
    throw new ApiError(500, `Configuration file 'nodes/${node}/qemu-server/${ctx.param('vmid')}.conf' does not exist`);
  return guest;
}

export function checkNotLocked(guest: LabGuest): void {
  if (guest.lock) throw new ApiError(500, `VM is locked (${guest.lock})`);
}

export function checkNotTemplate(guest: LabGuest, what: string): void {
  if (guest.config.template === '1') throw new ApiError(500, `${what}: VM is a template`);
}
