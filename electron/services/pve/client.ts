import type { Agent } from 'node:https';
import type { WebSocket } from 'ws';
import { silentLogger, type Logger } from '../log';
import { domainsCall, permissionsCall, versionCall, type PermissionMap, type PveRealm, type PveVersion } from './api/access';
import type { ApiCall } from './api/api-call';
import {
  clusterResourcesCall,
  clusterStatusCall,
  nodesCall,
  type ClusterResource,
  type ClusterResourceFilter,
  type ClusterStatus,
  type NodeSummary,
} from './api/cluster';
import { userIdOf, type CredentialsProvider, type PveAuthMethod, type PveSessionInfo } from './auth/auth-method';
import type { Authenticator } from './auth/authenticator';
import type { HttpMethod } from './http/exchange';
import type { LoginResult } from './auth/login-result';
import { TicketAuthenticator } from './auth/ticket-authenticator';
import { TokenAuthenticator } from './auth/token-authenticator';
import type { PveClientEvent, PveClientListener } from './client-events';
import { agentInterfacesCall, type AgentInterface } from './api/agent';
import { guestConfigCall, guestPowerCall, guestStatusCall, type GuestConfig, type GuestPowerCommand, type GuestStatus } from './api/guests';
import { nodeStatusCall, nodeStorageCall, type NodeStatus, type NodeStorageEntry } from './api/nodes';
import { poolCall, type PoolEntry } from './api/pools';
import { clusterResourceListCall } from './api/resources';
import { clusterTasksCall, stopTaskCall, taskLogCall, taskStatusCall, type TaskLogLine, type TaskStatus, type TaskSummary } from './api/tasks';
import { endpointLabel, type PveEndpoint } from './endpoint';
import { EndpointPool } from './endpoint-pool';
import { PveError, isPveError } from './errors';
import { ApiTransport, type CallLimits } from './http/api-transport';
import { openPveWebSocket } from './http/open-websocket';
import { learnNodePins, type LearnedPin } from './tls/learn-node-pins';

export interface PveClientOptions {
  /** API endpoints of one cluster, tried in this order. */
  endpoints: readonly PveEndpoint[];
  auth: PveAuthMethod;
  /** The stored password or token secret; asked for each (re-)login, never kept for password logins. */
  credentials: CredentialsProvider;
  logger?: Logger;
  /** Per call, connection included. Default 30 s. */
  timeoutMs?: number;
  /** TCP connection plus TLS handshake, per endpoint tried. Default 10 s. */
  connectTimeoutMs?: number;
  /** How often a ticket is renewed. Default 15 minutes, as PVE's web UI. */
  renewIntervalMs?: number;
}

export interface PveClient {
  /** The endpoint calls go to now (it changes on failover). */
  readonly activeEndpoint: PveEndpoint;
  /** The current session, without any secret; undefined when logged out. */
  readonly session: PveSessionInfo | undefined;

  /**
   * Logs in with `secret` (the password or token secret the user just typed)
   * or, without it, with the stored one from `credentials()`.
   */
  login(options?: { secret?: string } & CallLimits): Promise<LoginResult>;
  /** Forgets the session (PVE has no server-side logout) and stops renewing. */
  logout(): void;

  getVersion(limits?: CallLimits): Promise<PveVersion>;
  /** Works without a session: for the realm list of the login form. */
  getDomains(limits?: CallLimits): Promise<PveRealm[]>;
  getClusterResources(options?: { type?: ClusterResourceFilter } & CallLimits): Promise<ClusterResource[]>;
  /** `/cluster/resources` with each item unchecked: the inventory checks them one by one. */
  getClusterResourceList(limits?: CallLimits): Promise<unknown[]>;
  getClusterStatus(limits?: CallLimits): Promise<ClusterStatus>;
  getGuestStatus(node: string, vmid: number, limits?: CallLimits): Promise<GuestStatus>;
  getGuestConfig(node: string, vmid: number, limits?: CallLimits): Promise<GuestConfig>;
  getAgentInterfaces(node: string, vmid: number, limits?: CallLimits): Promise<AgentInterface[]>;
  /** Starts a power task; answers its UPID. */
  guestPower(node: string, vmid: number, command: GuestPowerCommand, options?: { timeout?: number; todisk?: boolean } & CallLimits): Promise<string>;
  getNodeStatus(node: string, limits?: CallLimits): Promise<NodeStatus>;
  getNodeStorage(node: string, limits?: CallLimits): Promise<NodeStorageEntry[]>;
  /** One pool's entry (its comment); an empty list when the user may not audit it. */
  getPool(poolid: string, limits?: CallLimits): Promise<PoolEntry[]>;
  getNodes(limits?: CallLimits): Promise<NodeSummary[]>;
  getPermissions(options?: { path?: string; userid?: string } & CallLimits): Promise<PermissionMap>;
  /** Task calls go to the node in the UPID: that node keeps the task's status and log. */
  getTaskStatus(node: string, upid: string, limits?: CallLimits): Promise<TaskStatus>;
  getTaskLog(node: string, upid: string, page: { start: number; limit: number }, limits?: CallLimits): Promise<TaskLogLine[]>;
  stopTask(node: string, upid: string, limits?: CallLimits): Promise<null>;
  getClusterTasks(limits?: CallLimits): Promise<TaskSummary[]>;
  /**
   * Reads every node's certificate fingerprint from `/nodes` over the trusted
   * session and pins the endpoints (not pinned, not trusted by the system)
   * that present one of them; answers the pins learned, for the profile.
   */
  learnNodeCertificates(limits?: CallLimits): Promise<LearnedPin[]>;

  /**
   * Sends one typed call built by a function of `api/` (the features' less common calls: config, snapshots,
   * backups, migration…), with the session, re-login and failover of every call.
   */
  execute<T>(call: ApiCall<T>, limits?: CallLimits): Promise<T>;
  /** `execute`, also answering the endpoint that answered: a vncproxy/termproxy ticket is valid only on that host. */
  executeAt<T>(call: ApiCall<T>, limits?: CallLimits): Promise<{ value: T; endpoint: PveEndpoint }>;
  /**
   * Opens a console websocket (subprotocol `binary`) to `endpoint` with the session's authentication, TLS checked
   * as every call's; `path` is the full path (`/api2/json/nodes/…/vncwebsocket`), `query` is encoded here.
   * Refusals and failures are PveErrors (AUTH_FAILED, PERMISSION_DENIED, TLS_MISMATCH, UNREACHABLE…).
   */
  openWebSocket(endpoint: PveEndpoint, path: string, query: Record<string, string>, limits?: CallLimits): Promise<WebSocket>;

  /** The verified keep-alive agent of an endpoint, for console websockets to the same host. */
  agentFor(endpoint: PveEndpoint): Agent;
  onEvent(listener: PveClientListener): () => void;
  /** Logs out and closes every connection. */
  close(): void;
}

const defaults = { timeoutMs: 30_000, renewIntervalMs: 15 * 60_000 };

/** The parts of a client, for the client itself and for tests that need a call the public API does not offer. */
export interface PveConnection {
  pool: EndpointPool;
  transport: ApiTransport;
  authenticator: TicketAuthenticator | TokenAuthenticator;
  /** Sends a typed call with the session, with one transparent re-login on a 401. */
  execute<T>(call: ApiCall<T>, limits?: CallLimits): Promise<T>;
  /** `execute`, with the endpoint that answered. */
  executeAt<T>(call: ApiCall<T>, limits?: CallLimits): Promise<{ value: T; endpoint: PveEndpoint }>;
  onEvent(listener: PveClientListener): () => void;
}

export function createPveConnection(options: PveClientOptions): PveConnection {
  const logger = options.logger ?? silentLogger;
  const listeners = new Set<PveClientListener>();
  const emit = (event: PveClientEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error('pve.listener-failed', { event: event.type, error });
      }
    }
  };

  const pool = new EndpointPool(options.endpoints, {
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    logger,
    onActiveChanged: (active, previous) => emit({ type: 'endpoint-changed', endpoint: endpointLabel(active), previous: endpointLabel(previous) }),
  });
  const transport = new ApiTransport(pool, { timeoutMs: options.timeoutMs ?? defaults.timeoutMs, logger });
  const authenticator: TicketAuthenticator | TokenAuthenticator =
    options.auth.kind === 'token'
      ? new TokenAuthenticator({ transport, tokenId: options.auth.tokenId, credentials: options.credentials, logger, emit })
      : new TicketAuthenticator({
          transport,
          userid: userIdOf(options.auth),
          credentials: options.credentials,
          renewIntervalMs: options.renewIntervalMs ?? defaults.renewIntervalMs,
          logger,
          emit,
        });

  async function executeAt<T>(call: ApiCall<T>, limits: CallLimits = {}): Promise<{ value: T; endpoint: PveEndpoint }> {
    if (!call.authenticated) return await transport.sendAt(call, {}, limits);
    if (authenticator.headers(call.method) === undefined) await authenticator.reauthenticate(limits);
    const generation = authenticator.generation;
    try {
      return await sendAuthenticated(authenticator, transport, call, limits);
    } catch (error) {
      if (!isPveError(error, 'AUTH_FAILED')) throw error;
      // One transparent re-login, unless another call already got a new session meanwhile.
      if (authenticator.generation === generation) await authenticator.reauthenticate(limits);
    }
    try {
      return await sendAuthenticated(authenticator, transport, call, limits);
    } catch (error) {
      if (!isPveError(error, 'AUTH_FAILED')) throw error;
      throw new PveError(
        'AUTH_FAILED',
        {
          en: `${call.name} was refused even after logging in again: the account or token may have been disabled. Log in again or ask a PVE administrator.`,
          fr: `${call.name} a été refusé même après une nouvelle connexion : le compte ou le jeton a peut-être été désactivé. Reconnectez-vous ou adressez-vous à un administrateur PVE.`,
        },
        error.details,
      );
    }
  }

  return {
    pool,
    transport,
    authenticator,
    execute: async (call, limits) => (await executeAt(call, limits)).value,
    executeAt,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The PVE API client of one connection profile: typed calls, login with
 * password (and second factor) or API token, ticket renewal, one
 * transparent re-login on a 401, and failover across the cluster's
 * endpoints, every failure a PveError.
 */
export function createPveClient(options: PveClientOptions): PveClient {
  const { pool, authenticator, execute, executeAt, onEvent } = createPveConnection(options);
  const unsubscribers: (() => void)[] = [];
  return {
    get activeEndpoint() {
      return pool.active;
    },
    get session() {
      return authenticator.info();
    },
    login: ({ secret, ...limits } = {}) => authenticator.login(secret, limits),
    logout: () => authenticator.forget(),
    getVersion: (limits) => execute(versionCall(), limits),
    getDomains: (limits) => execute(domainsCall(), limits),
    getClusterResources: ({ type, ...limits } = {}) => execute(clusterResourcesCall(type), limits),
    getClusterResourceList: (limits) => execute(clusterResourceListCall(), limits),
    getClusterStatus: (limits) => execute(clusterStatusCall(), limits),
    getGuestStatus: (node, vmid, limits) => execute(guestStatusCall(node, vmid), limits),
    getGuestConfig: (node, vmid, limits) => execute(guestConfigCall(node, vmid), limits),
    getAgentInterfaces: (node, vmid, limits) => execute(agentInterfacesCall(node, vmid), limits),
    guestPower: (node, vmid, command, { timeout, todisk, ...limits } = {}) =>
      execute(guestPowerCall(node, vmid, command, { ...(timeout !== undefined ? { timeout } : {}), ...(todisk !== undefined ? { todisk } : {}) }), limits),
    getNodeStatus: (node, limits) => execute(nodeStatusCall(node), limits),
    getNodeStorage: (node, limits) => execute(nodeStorageCall(node), limits),
    getPool: (poolid, limits) => execute(poolCall(poolid), limits),
    getNodes: (limits) => execute(nodesCall(), limits),
    getPermissions: ({ path, userid, ...limits } = {}) => execute(permissionsCall({ path, userid }), limits),
    getTaskStatus: (node, upid, limits) => execute(taskStatusCall(node, upid), limits),
    getTaskLog: (node, upid, page, limits) => execute(taskLogCall(node, upid, page), limits),
    stopTask: (node, upid, limits) => execute(stopTaskCall(node, upid), limits),
    getClusterTasks: (limits) => execute(clusterTasksCall(), limits),
    async learnNodeCertificates(limits) {
      const nodes = await execute(nodesCall(), limits);
      const fingerprints = nodes.flatMap((node) => (node.ssl_fingerprint !== undefined ? [node.ssl_fingerprint] : []));
      const learned = await learnNodePins(pool.endpoints, fingerprints, limits?.signal !== undefined ? { signal: limits.signal } : {});
      for (const { index, fingerprint } of learned) pool.pin(index, fingerprint);
      return learned;
    },
    execute: (call, limits) => execute(call, limits),
    executeAt: (call, limits) => executeAt(call, limits),
    openWebSocket: async (endpoint, path, query, limits) =>
      await openPveWebSocket({ endpoint, agent: pool.agentFor(endpoint), path, query, headers: sessionHeaders(authenticator, 'GET') }, limits),
    agentFor: (endpoint) => pool.agentFor(endpoint),
    onEvent(listener) {
      const unsubscribe = onEvent(listener);
      unsubscribers.push(unsubscribe);
      return unsubscribe;
    },
    close() {
      authenticator.forget();
      for (const unsubscribe of unsubscribers) unsubscribe();
      pool.destroy();
    },
  };
}

async function sendAuthenticated<T>(
  authenticator: Authenticator,
  transport: ApiTransport,
  call: ApiCall<T>,
  limits: CallLimits,
): Promise<{ value: T; endpoint: PveEndpoint }> {
  return await transport.sendAt(call, sessionHeaders(authenticator, call.method), limits);
}

function sessionHeaders(authenticator: Authenticator, method: HttpMethod): Record<string, string> {
  const headers = authenticator.headers(method);
  if (headers === undefined) {
    throw new PveError(
      'AUTH_FAILED',
      { en: 'Not logged in to this cluster; log in first.', fr: 'Aucune session n’est ouverte sur ce cluster ; connectez-vous d’abord.' },
      {},
    );
  }
  return headers;
}
