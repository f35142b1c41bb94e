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
    name: guest.config.name || `VM ${guest.vmid}`,
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
  // qemu-server 9's vmstatus: the QEMU process's memory as the host sees it (its cgroup), 0 when stopped.
  if (lab.release.major >= 9) state.memhost = sample?.mem ?? 0;
  if (info) {
    state.pid = info.pid;
    state.qmpstatus = info.qmpstatus;
  }
  return state;
}

/**
 * The guest as one /cluster/resources (and pool member) item: pve-manager
 * PVE/API2Tools.pm `extract_vm_stats` from the RRD entry pvestatd sends,
 * plus the config's `lock` and `tags` and the pool and HA state (Cluster.pm
 * `resources`). A guest on an offline node has no RRD entry any more
 * (pmxcfs drops entries older than 5 minutes): `unknown`, without a name or
 * figures.
 */
export function guestResource(lab: ClusterServices, guest: LabGuest): Record<string, unknown> {
  const item: Record<string, unknown> = { id: `qemu/${guest.vmid}`, vmid: guest.vmid, node: guest.node, type: 'qemu', status: 'unknown' };
  if (!lab.faults.isOffline(guest.node)) {
    const state = guestState(lab, guest);
    Object.assign(item, {
      uptime: state.uptime,
      name: state.name,
      status: state.status,
      template: guest.config.template === '1' ? 1 : 0,
      maxcpu: state.cpus,
      cpu: state.cpu,
      maxmem: state.maxmem,
      mem: state.mem,
      maxdisk: state.maxdisk,
      disk: 0,
      netin: state.netin,
      netout: state.netout,
      diskread: state.diskread,
      diskwrite: state.diskwrite,
    });
    // PVE 9's `pve-vm-9.0` RRD key adds the memory the host sees.
    if (state.memhost !== undefined) item.memhost = state.memhost;
  }
  if (guest.lock) item.lock = guest.lock;
  if (guest.config.tags !== undefined) item.tags = guest.config.tags;
  if (guest.pool) item.pool = guest.pool;
  if (guest.hastate) item.hastate = guest.hastate;
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
