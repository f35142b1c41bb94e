import type { PveClient } from '../pve';

/** The calls jobs make on a cluster: its tasks, and the permissions that say who may stop them. */
export type TaskClient = Pick<PveClient, 'session' | 'getTaskStatus' | 'getTaskLog' | 'stopTask' | 'getClusterTasks' | 'getPermissions'>;

/** The connected clusters and their clients: what jobs need of the session registry. */
export interface ClusterSessions {
  /** `clusterName` when PVE reports one, else the profile's `name`. */
  connected(): Promise<{ profileId: string; name: string; clusterName?: string }[]>;
  client(profileId: string): TaskClient;
}
