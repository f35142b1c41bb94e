/** Test helpers of the inventory: a cluster client whose answers each test sets, a poller over it, and a logger that keeps its lines. */
import { vi } from 'vitest';
import type { Logger } from '../../log';
import { PveError } from '../../pve';
import { ClusterPoller, type ClusterPollerOptions } from '../cluster-poller';
import type { InventoryClient } from '../inventory-sessions';

export type FakeInventoryClient = { [K in keyof InventoryClient]: ReturnType<typeof vi.fn<InventoryClient[K]>> };

/** Every call refuses until a test gives it an answer (`client.getGuestStatus.mockResolvedValue(…)`). */
export function fakeInventoryClient(): FakeInventoryClient {
  const refused = (name: string) => () => Promise.reject(new Error(`${name} was not expected in this test`));
  return {
    getClusterResourceList: vi.fn<InventoryClient['getClusterResourceList']>(refused('getClusterResourceList')),
    getClusterStatus: vi.fn<InventoryClient['getClusterStatus']>(() => Promise.resolve({ cluster: { name: 'lab', quorate: true }, nodes: [] })),
    getAgentInterfaces: vi.fn<InventoryClient['getAgentInterfaces']>(refused('getAgentInterfaces')),
    getGuestStatus: vi.fn<InventoryClient['getGuestStatus']>(refused('getGuestStatus')),
    getGuestConfig: vi.fn<InventoryClient['getGuestConfig']>(refused('getGuestConfig')),
    guestPower: vi.fn<InventoryClient['guestPower']>(refused('guestPower')),
    getNodeStatus: vi.fn<InventoryClient['getNodeStatus']>(refused('getNodeStatus')),
    getNodeStorage: vi.fn<InventoryClient['getNodeStorage']>(refused('getNodeStorage')),
    getPool: vi.fn<InventoryClient['getPool']>(refused('getPool')),
  };
}

/** PVE's 500 with its text, as the client reports it. */
export function serverError(serverMessage: string): PveError<'SERVER_ERROR'> {
  return new PveError('SERVER_ERROR', `pve1:8006 answered with error 500: ${serverMessage}.`, { endpoint: 'pve1:8006', status: 500, serverMessage });
}

export function unreachable(): PveError<'UNREACHABLE'> {
  return new PveError('UNREACHABLE', 'No endpoint of the cluster answered (pve1:8006: connection refused). Check the network.', { tried: [] });
}

export function permissionDenied(path: string, privilege: string): PveError<'PERMISSION_DENIED'> {
  return new PveError('PERMISSION_DENIED', `This account lacks the privilege ${privilege} on ${path}.`, {
    path,
    privilege,
    serverMessage: `Permission check failed (${path}, ${privilege})`,
  });
}

export interface LogLine {
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const record =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}): void => {
      lines.push({ level, event, fields });
    };
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** A running QEMU guest as `/cluster/resources` lists it. */
export function vmItem(vmid: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `qemu/${vmid}`, type: 'qemu', vmid, node: 'pve1', name: `vm-${vmid}`, status: 'running', cpu: 0.01, maxmem: 2 ** 31, ...fields };
}

/** The connected cluster the poller tests read. */
export const testCluster = { profileId: '0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10', name: 'lab' } as const;

/** A poller of `testCluster` over a fake client, its session open, asking every 3 s unless `options` say otherwise; started, the test closes it. */
export function startedPoller(client: FakeInventoryClient, emit: ClusterPollerOptions['emit'], options: Partial<ClusterPollerOptions> = {}): ClusterPoller {
  const poller = new ClusterPoller({
    cluster: testCluster,
    client: () => client,
    isOpen: () => true,
    onSessionGone: () => undefined,
    intervalMs: () => 3000,
    emit,
    logger: recordingLogger(),
    ...options,
  });
  poller.start();
  return poller;
}
