import {
  clusterResourcesData,
  clusterStatusData,
  nodesData,
  type ClusterResource,
  type ClusterResourceFilter,
  type ClusterStatus,
  type NodeSummary,
} from '../../../../shared/pve/cluster';
import type { ApiCall } from './api-call';

export type { ClusterResource, ClusterResourceFilter, ClusterStatus, NodeSummary };

export function clusterResourcesCall(filter?: ClusterResourceFilter): ApiCall<ClusterResource[]> {
  return {
    method: 'GET',
    path: '/cluster/resources',
    name: 'GET /cluster/resources',
    authenticated: true,
    query: { type: filter },
    data: clusterResourcesData,
  };
}

export function clusterStatusCall(): ApiCall<ClusterStatus> {
  return { method: 'GET', path: '/cluster/status', name: 'GET /cluster/status', authenticated: true, data: clusterStatusData };
}

export function nodesCall(): ApiCall<NodeSummary[]> {
  return { method: 'GET', path: '/nodes', name: 'GET /nodes', authenticated: true, data: nodesData };
}
