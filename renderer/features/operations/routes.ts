import type { RouteRecordRaw } from 'vue-router';

/** The operations pages: a guest's tabs beyond its summary, a node's graphs, a storage's backups, the cluster's backup jobs. */
export const operationsRoutes: RouteRecordRaw[] = [];
