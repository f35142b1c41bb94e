import { hostBootInfo, hostCpuInfo, hostKernel, hostLoadAverage, hostMemory, hostUptime } from '../../cluster/host-status';
import type { RequestContext, Route } from '../context';
import { NODE_ROOTFS, nodeAt, nodeMemoryUsed } from '../node-view';

/**
 * pve-manager PVE/API2/Nodes.pm `status` (Sys.Audit on the node), from the
 * host as pve-common's ProcFSTools reads it. Every lab node runs on this
 * host: the used memory, swap and KSM sharing are split evenly between the
 * nodes, the root file system is the lab's fixed one.
 */
function nodeStatus(ctx: RequestContext): unknown {
  const node = nodeAt(ctx);
  ctx.require(`/nodes/${node.name}`, 'Sys.Audit');
  const lab = ctx.lab;
  const nodes = lab.model.nodes.length;
  const host = hostMemory();
  const used = nodeMemoryUsed(lab);
  // What the kernel could reclaim (caches) is neither used nor free, as in /proc/meminfo.
  const reclaimable = Math.max(0, host.memavailable - host.memfree);
  const swapUsed = Math.round((host.swaptotal - host.swapfree) / nodes);
  const kernel = hostKernel();
  return {
    uptime: hostUptime(),
    idle: 0,
    loadavg: hostLoadAverage(),
    kversion: kernel.kversion,
    'current-kernel': kernel.current,
    'boot-info': hostBootInfo(),
    cpuinfo: hostCpuInfo(),
    cpu: lab.stats.hostCpuFraction(),
    wait: lab.stats.hostIoWaitFraction(),
    memory: { free: Math.max(0, node.maxmem - used - reclaimable), total: node.maxmem, available: node.maxmem - used, used },
    ksm: { shared: Math.round(host.memshared / nodes) },
    swap: { free: host.swaptotal - swapUsed, total: host.swaptotal, used: swapUsed },
    pveversion: `pve-manager/${lab.release.version}/${lab.release.repoid}`,
    rootfs: { total: NODE_ROOTFS.total, avail: NODE_ROOTFS.total - NODE_ROOTFS.used, used: NODE_ROOTFS.used, free: NODE_ROOTFS.total - NODE_ROOTFS.used },
  };
}

export const nodeStatusRoutes: Route[] = [{ method: 'GET', pattern: '/nodes/{node}/status', handler: nodeStatus }];
