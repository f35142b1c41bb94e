import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { closeServer, listen } from './tls-test-server';
import type { TestCertificate } from './test-certificate';

/**
 * A small stand-in for one PVE node in unit tests, for what the lab cannot
 * do: record every request (headers and form fields, bytes received), answer
 * with broken or unusual bodies, and play an impostor with another
 * certificate. It follows PVE's ticket, CSRF, token and second-factor rules
 * and answer shapes; everything the lab can serve is tested against the lab
 * (client.lab.test.ts, lab/api/auth.test.ts).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

export interface FakeAnswer {
  status?: number;
  /** Sent as `{data, message}`; `raw` replaces the whole body. */
  data?: unknown;
  message?: string;
  raw?: string;
  /** The status line's reason when it is not `message` (PVE's auth handler puts it only there). */
  reason?: string;
  delayMs?: number;
}

interface Account {
  password: string;
  totp?: string;
  recoveryKeys?: string[];
}

type Caller = { userid: string; viaTicket: boolean; issue?: number } | { refused: string };
type Handler = (request: RecordedRequest, caller: Caller) => FakeAnswer | Promise<FakeAnswer>;

export class FakePve {
  readonly requests: RecordedRequest[] = [];
  readonly accounts = new Map<string, Account>([
    ['alice@pve', { password: 'alice-password' }],
    ['tfa@pve', { password: 'tfa-password', totp: '123456', recoveryKeys: ['aaaa-bbbb-cccc'] }],
  ]);
  readonly tokens = new Map<string, string>([['alice@pve!desk', 'token-secret-0000']]);
  /** Issued tickets and their CSRF tokens, by issue number, so tests can tell which pair a request used. */
  readonly tickets = new Map<string, { userid: string; issue: number; csrf: string }>();
  /** Per `METHOD /path`, an answer that replaces the normal one. */
  readonly overrides = new Map<string, Handler>();
  applicationBytes = 0;
  port = 0;
  private issues = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(certificate: TestCertificate) {
    this.server = createServer({ key: certificate.key, cert: certificate.cert, keepAliveTimeout: 5_000 });
    this.server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('data', (chunk: Buffer) => {
        this.applicationBytes += chunk.length;
      });
    });
    this.server.on('tlsClientError', () => undefined);
    this.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void this.handle(request, response);
    });
  }

  async start(): Promise<this> {
    this.port = await listen(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await closeServer(this.server);
  }

  /** Every ticket issued so far stops working, as when they expire. */
  expireTickets(): void {
    this.tickets.clear();
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname.replace(/^\/api2\/json/, '');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: request.headers,
      form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
    };
    this.requests.push(recorded);
    const key = `${recorded.method} ${path}`;
    const caller = this.authenticate(recorded);
    let answer: FakeAnswer;
    const override = this.overrides.get(key);
    if (override !== undefined) answer = await override(recorded, caller);
    else if (key === 'POST /access/ticket') answer = this.ticket(recorded);
    else if (key === 'GET /access/domains')
      answer = {
        data: [
          { realm: 'pve', type: 'pve', comment: 'PVE', default: 1 },
          { realm: 'pam', type: 'pam' },
        ],
      };
    else if ('refused' in caller) answer = { status: 401, reason: caller.refused, raw: '' };
    else answer = this.route(key, caller);
    if (answer.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const status = answer.status ?? 200;
    const body = answer.raw ?? JSON.stringify({ data: answer.data ?? null, ...(answer.message !== undefined ? { message: `${answer.message}\n` } : {}) });
    if (response.destroyed) return;
    response.statusMessage = answer.reason ?? answer.message ?? 'OK';
    response.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }

  /** PVE's auth handler, with its refusal reasons. */
  private authenticate(request: RecordedRequest): Caller {
    const authorization = request.headers.authorization ?? '';
    const token = /^PVEAPIToken=([^=]+)=(\S+)$/.exec(authorization);
    if (token !== null) {
      return this.tokens.get(token[1] ?? '') === token[2] ? { userid: token[1] ?? '', viaTicket: false } : { refused: 'Authentication failed!' };
    }
    const cookie = /PVEAuthCookie=([^;]+)/.exec(request.headers.cookie ?? '');
    if (cookie?.[1] === undefined) return { refused: 'No ticket' };
    const ticket = this.tickets.get(decodeURIComponent(cookie[1]));
    if (ticket === undefined) return { refused: 'Authentication failed!' };
    if (request.method !== 'GET' && request.headers.csrfpreventiontoken !== ticket.csrf) return { refused: 'Permission denied - invalid csrf token' };
    return { userid: ticket.userid, viaTicket: true, issue: ticket.issue };
  }

  private issue(userid: string): FakeAnswer {
    this.issues += 1;
    const time = Math.floor(Date.now() / 1000)
      .toString(16)
      .toUpperCase();
    const ticket = `PVE:${userid}:${time}::${randomBytes(12).toString('base64')}+/=${this.issues}`;
    const csrf = `${time}:csrf-${this.issues}-${randomBytes(6).toString('hex')}`;
    this.tickets.set(ticket, { userid, issue: this.issues, csrf });
    return {
      data: {
        username: userid,
        ticket,
        CSRFPreventionToken: csrf,
        cap: { vms: { 'VM.Audit': 1, 'VM.Console': 1 }, dc: {} },
        clustername: 'testcluster',
        extra_field_from_newer_pve: true,
      },
    };
  }

  private ticket(request: RecordedRequest): FakeAnswer {
    if (/^PVEAPIToken/.test(request.headers.authorization ?? ''))
      return { status: 403, message: "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.\n)" };
    const username = request.form.get('username') ?? '';
    const password = request.form.get('password') ?? '';
    const challenge = request.form.get('tfa-challenge');
    const account = this.accounts.get(username);
    const refused: FakeAnswer = { status: 401, message: 'authentication failure' };
    if (account === undefined) return refused;
    if (challenge !== null) {
      if (!challenge.startsWith(`PVE:!tfa!`) || !challenge.includes(`:${username}:`)) return refused;
      if (password === `totp:${account.totp}`) return this.issue(username);
      const key = password.replace(/^recovery:/, '');
      if (password.startsWith('recovery:') && account.recoveryKeys?.includes(key) === true) {
        account.recoveryKeys = account.recoveryKeys.filter((k) => k !== key);
        return this.issue(username);
      }
      return refused;
    }
    if (password.startsWith('PVE:')) {
      const ticket = this.tickets.get(password);
      return ticket?.userid === username ? this.issue(username) : refused;
    }
    if (password !== account.password) return refused;
    if (account.totp !== undefined) {
      const recovery = (account.recoveryKeys ?? []).map((_, index) => index);
      const challengeJson = JSON.stringify({ totp: true, recovery }).replace(/:/g, '%3A');
      return { data: { username, ticket: `PVE:!tfa!${challengeJson}:${username}:64000000::partial`, CSRFPreventionToken: 'partial-csrf', NeedTFA: 1 } };
    }
    return this.issue(username);
  }

  private route(key: string, caller: Exclude<Caller, { refused: string }>): FakeAnswer {
    switch (key) {
      case 'GET /version':
        return { data: { version: '9.0.3', release: '9.0', repoid: 'abcdef12' } };
      case 'GET /cluster/resources':
        return {
          data: [
            { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', cpu: 0.1, maxcpu: 4, mem: 1, maxmem: 8 },
            { id: 'qemu/100', type: 'qemu', node: 'pve1', vmid: 100, name: 'web', status: 'running', template: 0, tags: 'prod;web', new_field: 'x' },
          ],
        };
      case 'GET /cluster/status':
        return {
          data: [
            { type: 'cluster', id: 'cluster', name: 'testcluster', quorate: 1, nodes: 2, version: 3 },
            { type: 'node', id: 'node/pve1', name: 'pve1', online: 1, ip: '127.0.0.1', local: 1, nodeid: 1 },
            { type: 'node', id: 'node/pve2', name: 'pve2', online: 0, ip: '127.0.0.2', local: 0, nodeid: 2 },
          ],
        };
      case 'GET /nodes':
        return {
          data: [
            { node: 'pve1', status: 'online', ssl_fingerprint: 'AB:CD' },
            { node: 'pve2', status: 'offline' },
          ],
        };
      case 'GET /access/permissions':
        // Privileges from a pool have the propagation flag 0: present means held.
        return { data: { '/': { 'Sys.Audit': 1 }, '/vms/100': { 'VM.Console': 0, 'VM.PowerMgmt': 0 } } };
      case 'POST /nodes/pve1/qemu/100/status/start':
        return { data: `UPID:pve1:00001234:00005678:64000000:qmstart:100:${caller.userid}:` };
      default:
        return { status: 501, message: `Method '${key}' not implemented` };
    }
  }
}
