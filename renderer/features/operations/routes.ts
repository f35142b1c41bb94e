import type { RouteRecordRaw } from 'vue-router';
import BackupJobsView from './backup-jobs/BackupJobsView.vue';
import GuestBackupsView from './backups/GuestBackupsView.vue';
import StorageBackupsView from './backups/StorageBackupsView.vue';
import GuestSnapshotsView from './snapshots/GuestSnapshotsView.vue';
import GuestHardwareView from './hardware/GuestHardwareView.vue';
import GuestOptionsView from './options/GuestOptionsView.vue';
import GuestHaView from './ha/GuestHaView.vue';
import GuestGraphsView from './graphs/GuestGraphsView.vue';
import NodeGraphsView from './graphs/NodeGraphsView.vue';

/** The operations pages: a guest's tabs beyond its summary, a node's graphs, a storage's backups, the cluster's backup jobs. */
export const operationsRoutes: RouteRecordRaw[] = [
  {
    path: '/operations/:profileId/guest/:vmid/hardware',
    name: 'operations-guest-hardware',
    component: GuestHardwareView,
    props: true,
    meta: { layout: 'shell' },
  },
  { path: '/operations/:profileId/guest/:vmid/options', name: 'operations-guest-options', component: GuestOptionsView, props: true, meta: { layout: 'shell' } },
  { path: '/operations/:profileId/guest/:vmid/ha', name: 'operations-guest-ha', component: GuestHaView, props: true, meta: { layout: 'shell' } },
  {
    path: '/operations/:profileId/guest/:vmid/snapshots',
    name: 'operations-guest-snapshots',
    component: GuestSnapshotsView,
    props: true,
    meta: { layout: 'shell' },
  },
  { path: '/operations/:profileId/guest/:vmid/backups', name: 'operations-guest-backups', component: GuestBackupsView, props: true, meta: { layout: 'shell' } },
  { path: '/operations/:profileId/backup-jobs', name: 'operations-backup-jobs', component: BackupJobsView, props: true, meta: { layout: 'shell' } },
  {
    path: '/operations/:profileId/storage/:node/:storage/backups',
    name: 'operations-storage-backups',
    component: StorageBackupsView,
    props: true,
    meta: { layout: 'shell' },
  },
  { path: '/operations/:profileId/guest/:vmid/graphs', name: 'operations-guest-graphs', component: GuestGraphsView, props: true, meta: { layout: 'shell' } },
  { path: '/operations/:profileId/node/:node/graphs', name: 'operations-node-graphs', component: NodeGraphsView, props: true, meta: { layout: 'shell' } },
];
