import { Router } from './router';
import { accessRoutes } from './routes/access';
import { backupJobRoutes } from './routes/backup-jobs';
import { consoleRoutes } from './routes/consoles';
import { clusterResourceRoutes } from './routes/cluster-resources';
import { haResourceRoutes } from './routes/ha-resources';
import { inventoryRoutes } from './routes/inventory';
import { labFaultRoutes } from './routes/lab-faults';
import { labHostileRoutes } from './routes/lab-hostile';
import { migrateRoutes } from './routes/migrate';
import { networkRoutes } from './routes/network';
import { nodeStatusRoutes } from './routes/node-status';
import { qemuAgentRoutes } from './routes/qemu-agent';
import { qemuCloneRoutes } from './routes/qemu-clone';
import { qemuConfigRoutes } from './routes/qemu-config';
import { qemuDiskRoutes } from './routes/qemu-disks';
import { qemuLifecycleRoutes } from './routes/qemu-lifecycle';
import { qemuStatusRoutes } from './routes/qemu-status';
import { rrdRoutes } from './routes/rrd';
import { snapshotRoutes } from './routes/snapshots';
import { storageRoutes } from './routes/storage';
import { taskRoutes } from './routes/tasks';
import { vzdumpRoutes } from './routes/vzdump';

/** Every endpoint of the lab's API; one module per endpoint group. */
export function buildRouter(): Router {
  const router = new Router();
  for (const group of [
    accessRoutes,
    inventoryRoutes,
    haResourceRoutes,
    clusterResourceRoutes,
    nodeStatusRoutes,
    networkRoutes,
    taskRoutes,
    qemuStatusRoutes,
    qemuAgentRoutes,
    qemuConfigRoutes,
    qemuLifecycleRoutes,
    qemuCloneRoutes,
    qemuDiskRoutes,
    snapshotRoutes,
    migrateRoutes,
    vzdumpRoutes,
    backupJobRoutes,
    storageRoutes,
    consoleRoutes,
    rrdRoutes,
    labFaultRoutes,
    labHostileRoutes,
  ]) {
    router.addAll(group);
  }
  return router;
}
