import { z } from 'zod';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { guestResource } from '../guest-view';
import { nodeAt, nodeResource } from '../node-view';
import { parseArgs, pveInt } from '../params';

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

/** pve-manager PVE/API2/Nodes.pm `index`: every node, its figures only with Sys.Audit, and every node's fingerprint. */
function nodeList(ctx: RequestContext): unknown {
  const lab = ctx.lab;
  return lab.model.nodes.map((node) => ({
    ...nodeResource(lab, node, ctx.can(`/nodes/${node.name}`, 'Sys.Audit')),
    ssl_fingerprint: lab.nodeFingerprint(node.name),
  }));
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

export const inventoryRoutes: Route[] = [
  { method: 'GET', pattern: '/version', handler: versionInfo },
  { method: 'GET', pattern: '/cluster', handler: () => ['resources', 'status', 'nextid', 'tasks', 'ha', 'backup'].map((name) => ({ name })) },
  { method: 'GET', pattern: '/cluster/status', handler: clusterStatus },
  { method: 'GET', pattern: '/cluster/nextid', handler: nextId, params: nextIdArgs },
  { method: 'GET', pattern: '/nodes', handler: nodeList },
  {
    method: 'GET',
    pattern: '/nodes/{node}',
    handler: (ctx) => {
      nodeAt(ctx);
      return ['qemu', 'status', 'storage', 'tasks', 'rrddata', 'termproxy', 'vzdump'].map((name) => ({ name }));
    },
  },
  { method: 'GET', pattern: '/nodes/{node}/version', handler: versionInfo },
  { method: 'GET', pattern: '/pools', handler: pools, params: poolArgs },
  { method: 'GET', pattern: '/pools/{poolid}', handler: pool, params: poolArgs.pick({ type: true }) },
  { method: 'GET', pattern: '/storage', handler: storageConfig },
];
