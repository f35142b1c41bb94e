import { nodeStatusData, nodeStorageData, type NodeStatus, type NodeStorageEntry } from '../../../../shared/pve/node';
import { segment, type ApiCall } from './api-call';

export type { NodeStatus, NodeStorageEntry };

export function nodeStatusCall(node: string): ApiCall<NodeStatus> {
  return { method: 'GET', path: `/nodes/${segment(node)}/status`, name: 'GET /nodes/{node}/status', authenticated: true, data: nodeStatusData };
}

export function nodeStorageCall(node: string): ApiCall<NodeStorageEntry[]> {
  return { method: 'GET', path: `/nodes/${segment(node)}/storage`, name: 'GET /nodes/{node}/storage', authenticated: true, data: nodeStorageData };
}
