import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterServices } from '../cluster/services';
import { errorText } from '../cluster/tasks';
import { authenticate } from './auth';
import { requestArgs } from './body';
import { parseArgs } from './params';
import { RequestContext, type HttpMethod } from './context';
import { ApiAnswer, ApiError } from './errors';
import type { Router } from './router';

const PREFIX = '/api2/json';
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

export type UpgradeHandler = (
  lab: ClusterServices,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  path: string,
  query: URLSearchParams,
  localNode: string,
) => void;

export interface ApiServerOptions {
  lab: ClusterServices;
  router: Router;
  tls: { key: string; cert: string };
  upgrade: UpgradeHandler;
  /** Set on a node's own listener: the fault switch closes it while the node is offline. */
  node?: string;
}

function send(response: ServerResponse, status: number, body: Record<string, unknown>, reason?: string): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  // PVE puts the error message in the status line too; clients such as proxmoxer show it from there.
  if (reason) response.statusMessage = (reason.split('\n')[0] ?? '').replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
  response.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'max-age=0',
    Pragma: 'no-cache',
  });
  response.end(text);
}

/** PVE's auth handler refuses with the reason in the status line and nothing in the body. */
function sendEmpty(response: ServerResponse, status: number, reason: string): void {
  if (response.headersSent || response.destroyed) return;
  response.statusMessage = reason;
  response.writeHead(status, { 'Content-Length': 0, 'Cache-Control': 'max-age=0', Pragma: 'no-cache' });
  response.end();
}

export function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof ApiError) {
    const body: Record<string, unknown> = { data: null, message: `${error.message}\n` };
    if (error.errors) body.errors = error.errors;
    send(response, error.status, body, error.message);
    return;
  }
  const message = errorText(error);
  send(response, 500, { data: null, message: `${message}\n` }, message);
}

/** Node part of a `/nodes/<node>/...` path, to answer 595 while that node is offline. */
function targetNode(path: string): string | undefined {
  return /^\/nodes\/([^/]+)/.exec(path)?.[1];
}

export function createApiServer(options: ApiServerOptions): Server {
  const { lab, router } = options;
  const server = createServer({ key: options.tls.key, cert: options.tls.cert, keepAliveTimeout: 5000 });
  // The node this listener is; the cluster address stands for the first online node.
  const localNode = (): string => options.node ?? lab.model.nodes.find((n) => !lab.faults.isOffline(n.name))?.name ?? '';

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response).catch((error: unknown) => sendError(response, error));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    if (!url.pathname.startsWith(`${PREFIX}/`) && url.pathname !== PREFIX) {
      throw new ApiError(501, `Method '${method} ${url.pathname}' not implemented`);
    }
    const path = url.pathname.slice(PREFIX.length) || '/';
    if (lab.faults.shouldDrop(path)) {
      request.socket.destroy();
      return;
    }
    const delay = lab.faults.delayFor(path);
    if (delay > 0) await sleep(delay);
    const node = targetNode(path);
    if (node && lab.faults.isOffline(node)) {
      // pveproxy proxies the call to that node (pve-http-server `proxy_request`); the connect fails only after a while.
      await sleep(lab.unreachableNodeDelayMs);
      throw new ApiError(595, 'No route to host');
    }
    const matched = METHODS.has(method) ? router.match(method as HttpMethod, path) : undefined;
    if (!matched) throw new ApiError(501, `Method '${method} ${PREFIX}${path}' not implemented`);

    let auth: ReturnType<typeof authenticate> | undefined;
    if (!matched.route.anonymous) {
      try {
        auth = authenticate(lab, request, method);
      } catch (error) {
        await sleep(lab.authFailureDelayMs);
        if (error instanceof ApiError && error.status === 401) return sendEmpty(response, 401, error.message);
        throw error;
      }
    }
    const args = await requestArgs(request, url.searchParams, method, matched.route.streamBody === true);
    // PVE checks every parameter against the method's schema before the method runs; path parameters take precedence.
    parseArgs(matched.parameters, { ...args, ...matched.params });
    const context = new RequestContext(lab, method as HttpMethod, path, matched.params, args, auth?.actor, auth?.token, request, response, localNode());
    const result = await matched.route.handler(context);
    if (response.headersSent) return;
    if (result instanceof ApiAnswer) send(response, 200, { data: result.data ?? null, ...result.extra });
    else send(response, 200, { data: result ?? null });
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    try {
      options.upgrade(lab, request, socket, head, decodePath(path), url.searchParams, localNode());
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 500;
      socket.end(`HTTP/1.1 ${status} ${errorText(error).replace(/[\r\n]/g, ' ')}\r\nConnection: close\r\n\r\n`);
    }
  });

  return server;
}

/** Path segments arrive URL-encoded (a UPID's colons often as %3A). */
function decodePath(path: string): string {
  return path
    .split('/')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    })
    .join('/');
}
