import { Router } from './router';
import { accessRoutes } from './routes/access';
import { consoleRoutes } from './routes/consoles';
import { inventoryRoutes } from './routes/inventory';
import { labFaultRoutes } from './routes/lab-faults';
import { migrateRoutes } from './routes/migrate';
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
    taskRoutes,
    qemuStatusRoutes,
    qemuConfigRoutes,
    qemuLifecycleRoutes,
    qemuDiskRoutes,
    snapshotRoutes,
    migrateRoutes,
    vzdumpRoutes,
    storageRoutes,
    consoleRoutes,
    rrdRoutes,
    labFaultRoutes,
  ]) {
    router.addAll(group);
  }
  return router;
}
