import { connect, createServer, type Server, type Socket } from 'node:net';
import type { SpiceProxyTarget, SpiceTicketCheck } from './spice-ticket';

/**
 * PVE's spiceproxy (port 3128): an HTTP CONNECT proxy that opens nothing but
 * the SPICE TLS port a valid proxy ticket names. spice-gtk, given `proxy=` and
 * `host=<ticket>` from the .vv file, sends
 *   CONNECT <ticket>:<tls-port> HTTP/1.0
 *   Host: <ticket>:<tls-port>
 * and, after `200`, does TLS with QEMU itself; the proxy only moves bytes,
 * as pveproxy's `handle_spice_proxy_request` does: as they come, with no
 * back-pressure, dropping the connection once more than `MAX_BACKLOG` waits
 * to be written to either side (a client that stops reading loses its
 * channel instead of slowing QEMU).
 */
export interface SpiceConnectProxyOptions {
  port: number;
  verifyTicket(ticket: string): SpiceTicketCheck;
  /** Where QEMU's TLS SPICE port for a verified ticket is; the lab's QEMUs listen on loopback. */
  upstreamHost: string;
  headerTimeoutMs: number;
  log: (line: string) => void;
}

const MAX_HEADER = 8192;
/** pveproxy's `wbuf_max` on both handles of a SPICE connection: 64 × 10 KiB. */
export const MAX_BACKLOG = 64 * 10 * 1024;
const REQUEST_LINE = /^CONNECT (\S+) HTTP\/1\.[01]$/;
const AUTHORITY = /^(.+):(\d{1,5})$/;

function refuse(socket: Socket, status: 400 | 401 | 502, text: string): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 502: 'Bad Gateway' }[status];
  const body = `${text}\n`;
  socket.end(`HTTP/1.0 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  // Do not wait for a client that keeps sending.
  setTimeout(() => socket.destroy(), 1000).unref();
}

interface ConnectRequest {
  target: string;
  host: string | undefined;
}

function parseConnectRequest(header: string): ConnectRequest | string {
  const [requestLine = '', ...headerLines] = header.split('\r\n');
  const request = REQUEST_LINE.exec(requestLine);
  if (!request) return 'only CONNECT <host>:<port> HTTP/1.x is served here';
  let host: string | undefined;
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'host') host = line.slice(colon + 1).trim();
  }
  return { target: request[1] ?? '', host };
}

/** Decides what one CONNECT request may open: a verified target, or the HTTP refusal to send. */
function authorize(request: ConnectRequest, verifyTicket: (ticket: string) => SpiceTicketCheck): SpiceProxyTarget | { status: 400 | 401; text: string } {
  if (request.host === undefined) return { status: 401, text: 'missing Host header with the proxy ticket' };
  if (request.host !== request.target) return { status: 400, text: 'CONNECT target and Host header differ' };
  const authority = AUTHORITY.exec(request.host);
  if (!authority) return { status: 400, text: 'Host is not <ticket>:<port>' };
  const check = verifyTicket(authority[1] ?? '');
  if (!check.ok) return { status: 401, text: `invalid proxy ticket (${check.reason})` };
  // PVE refuses a port the ticket was not signed for as any other bad ticket.
  if (Number(authority[2]) !== check.target.tlsPort) return { status: 401, text: 'invalid proxy ticket (the ticket does not open this port)' };
  return check.target;
}

export class SpiceConnectProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  readonly ready: Promise<void>;

  constructor(private readonly options: SpiceConnectProxyOptions) {
    this.server = createServer((socket) => this.serve(socket));
    this.ready = new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port: options.port }, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address && typeof address !== 'string') this.boundPort = address.port;
        resolve();
      });
    });
    // Keep an unhandled rejection from crashing the process; callers see it through `ready`.
    this.ready.catch(() => undefined);
  }

  get port(): number {
    if (this.boundPort === 0) throw new Error('the SPICE proxy is not listening yet (await the gateway ready promise)');
    return this.boundPort;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private serve(client: Socket): void {
    this.track(client);
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => refuse(client, 400, 'request header timeout'), this.options.headerTimeoutMs);
    timer.unref();
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEADER) {
          client.off('data', onData);
          clearTimeout(timer);
          refuse(client, 400, 'request header too large');
        }
        return;
      }
      client.off('data', onData);
      client.pause();
      clearTimeout(timer);
      this.dispatch(client, buffered.subarray(0, end).toString('latin1'), buffered.subarray(end + 4));
    };
    client.on('data', onData);
  }

  private dispatch(client: Socket, header: string, early: Buffer): void {
    const request = parseConnectRequest(header);
    if (typeof request === 'string') {
      this.options.log(`spiceproxy: refused a request: ${request}`);
      refuse(client, 400, request);
      return;
    }
    const decision = authorize(request, (ticket) => this.options.verifyTicket(ticket));
    if ('status' in decision) {
      this.options.log(`spiceproxy: refused CONNECT: ${decision.text}`);
      refuse(client, decision.status, decision.text);
      return;
    }
    const upstream = connect({ host: this.options.upstreamHost, port: decision.tlsPort });
    this.track(upstream);
    upstream.once('error', (error) => {
      this.options.log(`spiceproxy: VM ${decision.vmid} on ${decision.node}: cannot reach port ${decision.tlsPort}: ${error.message}`);
      refuse(client, 502, 'the guest SPICE port does not answer');
    });
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      this.options.log(`spiceproxy: VM ${decision.vmid} on ${decision.node}: channel connected to port ${decision.tlsPort}`);
      client.write('HTTP/1.0 200 OK\r\n\r\n');
      if (early.length > 0) upstream.write(early);
      shuttle(client, upstream);
      client.resume();
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
  }
}

/**
 * Moves bytes both ways as pveproxy does: no pause, the connection dropped when a backlog passes MAX_BACKLOG. An end
 * is passed on once what was read is written (pveproxy may lose that tail; no console depends on it).
 */
function shuttle(a: Socket, b: Socket): void {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    a.destroy();
    b.destroy();
  };
  const forwardTo =
    (to: Socket) =>
    (chunk: Buffer): void => {
      to.write(chunk);
      if (to.writableLength > MAX_BACKLOG) finish();
    };
  a.on('data', forwardTo(b)).on('end', () => b.end());
  b.on('data', forwardTo(a)).on('end', () => a.end());
  for (const socket of [a, b]) socket.on('error', finish).on('close', finish);
}
