import { cpus, freemem, loadavg, totalmem, uptime, release } from 'node:os';
import { z } from 'zod';
import type { LabNode } from '../../cluster/model';
import type { ClusterServices } from '../../cluster/services';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { guestResource } from '../guest-view';
import { parseArgs, pveInt } from '../params';

function nodeResource(lab: ClusterServices, node: LabNode): Record<string, unknown> {
  const online = !lab.faults.isOffline(node.name);
  const item: Record<string, unknown> = {
    id: `node/${node.name}`,
    type: 'node',
    node: node.name,
    status: online ? 'online' : 'offline',
    maxcpu: node.maxcpu,
    maxmem: node.maxmem,
    maxdisk: 100 * 1024 ** 3,
    level: '',
    'cgroup-mode': 2,
  };
  if (online) {
    const share = (totalmem() - freemem()) / lab.model.nodes.length;
    Object.assign(item, { cpu: lab.stats.hostCpuFraction(), mem: Math.round(share), disk: 30 * 1024 ** 3, uptime: Math.floor(uptime()) });
  }
  return item;
}

function storageResources(lab: ClusterServices, node: LabNode): Record<string, unknown>[] {
  return lab.storage.storages.map((s) => {
    const online = !lab.faults.isOffline(node.name);
    const usage = online ? lab.storage.usage(s.id, node.name) : undefined;
    const item: Record<string, unknown> = {
      id: `storage/${node.name}/${s.id}`,
      type: 'storage',
      node: node.name,
      storage: s.id,
      status: online ? 'available' : 'unknown',
      content: [...s.content].sort().join(','),
      plugintype: s.type,
      shared: s.shared ? 1 : 0,
    };
    if (usage) Object.assign(item, { disk: usage.used, maxdisk: usage.total });
    return item;
  });
}

const resourceArgs = z.object({ type: z.enum(['vm', 'storage', 'node', 'sdn']).optional() });

/** /cluster/resources: one pass over the in-memory model, filtered by the caller's audit privileges. */
function resources(ctx: RequestContext): unknown {
  const { type } = parseArgs(resourceArgs, ctx.args);
  const lab = ctx.lab;
  const out: Record<string, unknown>[] = [];
  if (!type || type === 'vm') {
    for (const guest of lab.model.guests.values()) if (ctx.can(`/vms/${guest.vmid}`, 'VM.Audit')) out.push(guestResource(lab, guest));
  }
  for (const node of lab.model.nodes) {
    if ((!type || type === 'node') && ctx.can(`/nodes/${node.name}`, 'Sys.Audit')) out.push(nodeResource(lab, node));
    if (!type || type === 'storage') {
      for (const item of storageResources(lab, node)) {
        const path = `/storage/${String(item.storage)}`;
        if (ctx.can(path, 'Datastore.Audit') || ctx.can(path, 'Datastore.AllocateSpace')) out.push(item);
      }
    }
    if ((!type || type === 'sdn') && ctx.can('/sdn/zones/localnetwork', 'SDN.Audit')) {
      out.push({
        id: `sdn/${node.name}/localnetwork`,
        type: 'sdn',
        sdn: 'localnetwork',
        node: node.name,
        status: lab.faults.isOffline(node.name) ? 'unknown' : 'ok',
      });
    }
  }
  if (!type) {
    for (const pool of lab.model.pools.values())
      if (ctx.can(`/pool/${pool.poolid}`, 'Pool.Audit')) out.push({ id: `/pool/${pool.poolid}`, type: 'pool', pool: pool.poolid });
  }
  return out;
}

function clusterStatus(ctx: RequestContext): unknown {
  ctx.require('/', 'Sys.Audit');
  const lab = ctx.lab;
  const online = lab.model.nodes.filter((n) => !lab.faults.isOffline(n.name));
  return [
    {
      type: 'cluster',
      id: 'cluster',
      name: lab.model.name,
      nodes: lab.model.nodes.length,
      quorate: online.length * 2 > lab.model.nodes.length ? 1 : 0,
      version: lab.model.nodes.length + 1,
    },
    ...lab.model.nodes.map((n) => ({
      type: 'node',
      id: `node/${n.name}`,
      name: n.name,
      nodeid: n.nodeid,
      ip: n.ip,
      local: n.name === ctx.localNode ? 1 : 0,
      online: lab.faults.isOffline(n.name) ? 0 : 1,
      level: '',
    })),
  ];
}

const nextIdArgs = z.object({ vmid: pveInt(100, 999_999_999).optional() });

function nextId(ctx: RequestContext): unknown {
  const { vmid } = parseArgs(nextIdArgs, ctx.args);
  if (vmid !== undefined) {
    if (ctx.lab.model.guests.has(vmid)) throw new ApiError(400, `VM ${vmid} already exists`, { vmid: `VM ${vmid} already exists` });
    return String(vmid);
  }
  return String(ctx.lab.model.nextId());
}

function nodeList(ctx: RequestContext): unknown {
  const lab = ctx.lab;
  return lab.model.nodes.map((node) => {
    const item = nodeResource(lab, node);
    delete item['cgroup-mode'];
    item.ssl_fingerprint = lab.nodeFingerprint(node.name);
    // PVE's Nodes.pm `index` adds every node's fingerprint, whatever the caller may audit.
    return ctx.can(`/nodes/${node.name}`, 'Sys.Audit')
      ? item
      : { node: node.name, status: item.status, id: item.id, type: 'node', ssl_fingerprint: item.ssl_fingerprint };
  });
}

function nodeAt(ctx: RequestContext): LabNode {
  const node = ctx.lab.model.node(ctx.param('node'));
  if (!node)
    throw new ApiError(500, `hostname lookup '${ctx.param('node')}' failed - failed to get address info for: ${ctx.param('node')}: Name or service not known`);
  return node;
}

function nodeStatus(ctx: RequestContext): unknown {
  const node = nodeAt(ctx);
  ctx.require(`/nodes/${node.name}`, 'Sys.Audit');
  const lab = ctx.lab;
  const cores = cpus();
  const used = Math.round((totalmem() - freemem()) / lab.model.nodes.length);
  return {
    cpu: lab.stats.hostCpuFraction(),
    wait: 0,
    idle: 0,
    cpuinfo: {
      cpus: node.maxcpu,
      cores: node.maxcpu,
      sockets: 1,
      model: cores[0]?.model ?? 'QEMU Virtual CPU',
      mhz: String(cores[0]?.speed ?? 2000),
      hvm: '1',
      user_hz: 100,
      flags: '',
    },
    memory: { total: node.maxmem, used, free: node.maxmem - used },
    swap: { total: 0, used: 0, free: 0 },
    rootfs: { total: 100 * 1024 ** 3, used: 30 * 1024 ** 3, free: 70 * 1024 ** 3, avail: 70 * 1024 ** 3 },
    ksm: { shared: 0 },
    uptime: Math.floor(uptime()),
    loadavg: loadavg().map((l) => l.toFixed(2)),
    kversion: `Linux ${release()} #1 SMP PREEMPT_DYNAMIC (lab)`,
    'current-kernel': { sysname: 'Linux', release: release(), machine: 'x86_64', version: '#1 SMP PREEMPT_DYNAMIC (lab)' },
    'boot-info': { mode: 'efi', secureboot: 0 },
    pveversion: `pve-manager/${lab.release.version}/${lab.release.repoid}`,
  };
}

/** pve-manager PVE/API2.pm `version` (and Nodes.pm `version`): version, release, repoid; `console` only when datacenter.cfg sets it. */
function versionInfo(ctx: RequestContext): unknown {
  const { version, release, repoid } = ctx.lab.release;
  return { version, release, repoid };
}

const poolArgs = z.object({ poolid: z.string().optional(), type: z.enum(['qemu', 'lxc', 'storage']).optional() });

function poolMembers(ctx: RequestContext, poolid: string): unknown[] {
  return ctx.lab.model
    .poolMembers(poolid)
    .filter((g) => ctx.can(`/vms/${g.vmid}`, 'VM.Audit'))
    .map((g) => guestResource(ctx.lab, g));
}

function pools(ctx: RequestContext): unknown {
  const { poolid } = parseArgs(poolArgs, ctx.args);
  return [...ctx.lab.model.pools.values()]
    .filter((p) => (!poolid || p.poolid === poolid) && ctx.can(`/pool/${p.poolid}`, 'Pool.Audit'))
    .map((p) => (poolid ? { poolid: p.poolid, comment: p.comment, members: poolMembers(ctx, p.poolid) } : { poolid: p.poolid, comment: p.comment }));
}

function pool(ctx: RequestContext): unknown {
  const poolid = ctx.param('poolid');
  const found = ctx.lab.model.pools.get(poolid);
  if (!found) throw new ApiError(500, `pool '${poolid}' does not exist`);
  ctx.require(`/pool/${poolid}`, 'Pool.Audit');
  return { comment: found.comment, members: poolMembers(ctx, poolid) };
}

function storageConfig(ctx: RequestContext): unknown {
  return ctx.lab.storage.storages
    .filter((s) => ctx.can(`/storage/${s.id}`, 'Datastore.Audit') || ctx.can(`/storage/${s.id}`, 'Datastore.AllocateSpace'))
    .map((s) => ({
      storage: s.id,
      type: s.type,
      content: [...s.content].sort().join(','),
      path: s.id === 'shared' ? '/mnt/pve/shared' : '/var/lib/vz',
      shared: s.shared ? 1 : 0,
      'prune-backups': 'keep-all=1',
      digest: '0'.repeat(40),
    }));
}

function haResources(ctx: RequestContext): unknown {
  return [...ctx.lab.model.guests.values()]
    .filter((g) => g.hastate && ctx.can(`/vms/${g.vmid}`, 'VM.Audit'))
    .map((g) => ({ sid: `vm:${g.vmid}`, type: 'vm', state: g.hastate, group: undefined, max_restart: 1, max_relocate: 1, digest: '0'.repeat(40) }));
}

export const inventoryRoutes: Route[] = [
  { method: 'GET', pattern: '/version', handler: versionInfo },
  { method: 'GET', pattern: '/cluster', handler: () => ['resources', 'status', 'nextid', 'tasks', 'ha', 'backup'].map((name) => ({ name })) },
  { method: 'GET', pattern: '/cluster/resources', handler: resources, params: resourceArgs },
  { method: 'GET', pattern: '/cluster/status', handler: clusterStatus },
  { method: 'GET', pattern: '/cluster/nextid', handler: nextId, params: nextIdArgs },
  { method: 'GET', pattern: '/cluster/ha/resources', handler: haResources },
  {
    method: 'GET',
    pattern: '/cluster/backup',
    handler: (ctx) => {
      ctx.require('/', 'Sys.Audit');
      return [];
    },
  },
  { method: 'GET', pattern: '/nodes', handler: nodeList },
  {
    method: 'GET',
    pattern: '/nodes/{node}',
    handler: (ctx) => {
      nodeAt(ctx);
      return ['qemu', 'status', 'storage', 'tasks', 'rrddata', 'termproxy', 'vzdump'].map((name) => ({ name }));
    },
  },
  { method: 'GET', pattern: '/nodes/{node}/status', handler: nodeStatus },
  { method: 'GET', pattern: '/nodes/{node}/version', handler: versionInfo },
  { method: 'GET', pattern: '/pools', handler: pools, params: poolArgs },
  { method: 'GET', pattern: '/pools/{poolid}', handler: pool, params: poolArgs.pick({ type: true }) },
  { method: 'GET', pattern: '/storage', handler: storageConfig },
];
