import { describe, expect, it } from 'vitest';
import type { Logger } from '../log/logger';
import type { ApiCall } from './api/api-call';
import type { PveAuthMethod } from './auth/auth-method';
import { createPveClient, createPveConnection, type PveClient, type PveClientOptions } from './client';
import type { PveClientEvent } from './client-events';
import type { PveEndpoint } from './endpoint';
import { PveError, type PveErrorCode } from './errors';
import { FakePve } from './testing/fake-pve';
import { useTlsFixtures } from './testing/tls-fixtures';
import { closedPort, startSilentTcpServer } from './testing/tls-test-server';
import { z } from 'zod';

const tls = useTlsFixtures();

const alice: PveAuthMethod = { kind: 'password', username: 'alice', realm: 'pve' };

async function fakePve(cert = tls.certificate): Promise<FakePve> {
  const pve = await new FakePve(cert).start();
  tls.cleanup(() => pve.stop());
  return pve;
}

function pinned(port: number, cert = tls.certificate): PveEndpoint {
  return { host: '127.0.0.1', port, trust: { mode: 'pinned', fingerprint: cert.fingerprint } };
}

/** A logger that keeps every line, to check no secret reaches the log. */
function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, event, fields }, (_key, value: unknown) => (value instanceof Error ? { message: value.message } : value)));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function client(options: Partial<PveClientOptions> & { endpoints: PveEndpoint[] }, events?: PveClientEvent[]): PveClient {
  const created = createPveClient({ auth: alice, credentials: () => Promise.resolve('alice-password'), ...options });
  if (events !== undefined) created.onEvent((event) => events.push(event));
  tls.cleanup(() => created.close());
  return created;
}

async function failure(promise: Promise<unknown>): Promise<PveError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PveError)) throw new Error(`expected a PveError, got ${String(error)}`);
  return error;
}

function expectCode(error: PveError, code: PveErrorCode): void {
  expect(error.code, error.message).toBe(code);
}

/** A write call the public API does not offer yet, to see the CSRF rule at work. */
const startGuest: ApiCall<string> = {
  method: 'POST',
  path: '/nodes/pve1/qemu/100/status/start',
  name: 'POST /nodes/{node}/qemu/{vmid}/status/start',
  authenticated: true,
  form: {},
  data: z.string(),
};

describe('login', () => {
  it('logs in with a password and exposes the capabilities, never the ticket', async () => {
    const pve = await fakePve();
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    const result = await pveClient.login({ secret: 'alice-password' });
    expect(result).toEqual({
      kind: 'ok',
      session: { userid: 'alice@pve', authKind: 'ticket', clusterName: 'testcluster', capabilities: { vms: ['VM.Audit', 'VM.Console'], dc: [] } },
    });
    const login = pve.requestsTo('POST', '/access/ticket')[0];
    expect(login?.form.get('username')).toBe('alice@pve');
    expect(login?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(JSON.stringify(pveClient.session)).not.toContain('PVE:');
  });

  it('takes the stored password when none is typed', async () => {
    const pve = await fakePve();
    let asked = 0;
    const pveClient = client({ endpoints: [pinned(pve.port)], credentials: () => ((asked += 1), Promise.resolve('alice-password')) });
    expect((await pveClient.login()).kind).toBe('ok');
    expect(asked).toBe(1);
  });

  it('refuses a wrong password with AUTH_FAILED', async () => {
    const pve = await fakePve();
    const error = await failure(client({ endpoints: [pinned(pve.port)] }).login({ secret: 'not-the-password-123' }));
    expectCode(error, 'AUTH_FAILED');
    expect(error.message).toContain('alice@pve');
    expect(error.message).not.toContain('not-the-password-123');
  });

  it('walks the second-factor flow: kinds, wrong code, TOTP code', async () => {
    const pve = await fakePve();
    const pveClient = client({ endpoints: [pinned(pve.port)], auth: { kind: 'password', username: 'tfa@pve', realm: 'pve' } });
    const first = await pveClient.login({ secret: 'tfa-password' });
    if (first.kind !== 'second-factor') throw new Error('expected a second-factor step');
    expect(first.kinds).toEqual(['totp', 'recovery']);
    expect(pveClient.session).toBeUndefined();
    expectCode(await failure(first.continue({ kind: 'totp', code: '000000' })), 'AUTH_FAILED');
    const second = await first.continue({ kind: 'totp', code: '123456' });
    expect(second.kind).toBe('ok');
    const step = pve.requestsTo('POST', '/access/ticket').at(-1);
    expect(step?.form.get('password')).toBe('totp:123456');
    expect(step?.form.get('tfa-challenge')).toMatch(/^PVE:!tfa!/);
    expect(await pveClient.getVersion()).toMatchObject({ version: '9.0.3' });
  });

  it('accepts a recovery key as second factor', async () => {
    const pve = await fakePve();
    const pveClient = client({ endpoints: [pinned(pve.port)], auth: { kind: 'password', username: 'tfa', realm: 'pve' } });
    const first = await pveClient.login({ secret: 'tfa-password' });
    if (first.kind !== 'second-factor') throw new Error('expected a second-factor step');
    expect((await first.continue({ kind: 'recovery', key: 'aaaa-bbbb-cccc' })).kind).toBe('ok');
    expect(pve.requestsTo('POST', '/access/ticket').at(-1)?.form.get('password')).toBe('recovery:aaaa-bbbb-cccc');
  });

  it('fetches realms without a session', async () => {
    const pve = await fakePve();
    const realms = await client({ endpoints: [pinned(pve.port)] }).getDomains();
    expect(realms.map((realm) => realm.realm)).toEqual(['pve', 'pam']);
    expect(realms[0]?.default).toBe(true);
    expect(pve.requests[0]?.headers.cookie).toBeUndefined();
  });
});

describe('CSRF and tokens', () => {
  it('sends the CSRF token on writes with a ticket, and only on writes', async () => {
    const pve = await fakePve();
    const connection = createPveConnection({ endpoints: [pinned(pve.port)], auth: alice, credentials: () => Promise.resolve('alice-password') });
    tls.cleanup(
      () => connection.pool.destroy(),
      () => connection.authenticator.forget(),
    );
    await connection.authenticator.login(undefined);
    expect(await connection.execute(startGuest)).toMatch(/^UPID:pve1:.*:qmstart:100:alice@pve:$/);
    const [write] = pve.requestsTo('POST', '/nodes/pve1/qemu/100/status/start');
    expect(write?.headers.csrfpreventiontoken).toMatch(/^[0-9A-F]+:csrf-/);
    expect(write?.headers.cookie).toMatch(/^PVEAuthCookie=PVE%3Aalice%40pve%3A/);
    await connection.execute({ ...startGuest, method: 'GET', path: '/version', data: z.unknown() });
    expect(pve.requestsTo('GET', '/version')[0]?.headers.csrfpreventiontoken).toBeUndefined();
  });

  it('authenticates an API token by header: no ticket, no CSRF token', async () => {
    const pve = await fakePve();
    const connection = createPveConnection({
      endpoints: [pinned(pve.port)],
      auth: { kind: 'token', tokenId: 'alice@pve!desk' },
      credentials: () => Promise.resolve('token-secret-0000'),
    });
    tls.cleanup(() => connection.pool.destroy());
    expect(await connection.authenticator.login(undefined)).toEqual({ kind: 'ok', session: { userid: 'alice@pve!desk', authKind: 'token' } });
    expect(await connection.execute(startGuest)).toContain(':alice@pve!desk:');
    const [write] = pve.requestsTo('POST', '/nodes/pve1/qemu/100/status/start');
    expect(write?.headers.authorization).toBe('PVEAPIToken=alice@pve!desk=token-secret-0000');
    expect(write?.headers.csrfpreventiontoken).toBeUndefined();
    expect(write?.headers.cookie).toBeUndefined();
    expect(pve.requestsTo('POST', '/access/ticket')).toHaveLength(0);
  });

  it('reports a revoked token as AUTH_FAILED without looping', async () => {
    const pve = await fakePve();
    const lines: string[] = [];
    const pveClient = client({
      endpoints: [pinned(pve.port)],
      auth: { kind: 'token', tokenId: 'alice@pve!desk' },
      credentials: () => Promise.resolve('token-secret-0000'),
      logger: recordingLogger(lines),
    });
    await pveClient.login();
    pve.tokens.delete('alice@pve!desk');
    const error = await failure(pveClient.getClusterResources());
    expectCode(error, 'AUTH_FAILED');
    expect(error.message).toContain('alice@pve!desk');
    expect(error.message).not.toContain('token-secret-0000');
    expect(pve.requestsTo('GET', '/cluster/resources')).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('token-secret-0000');
  });
});

describe('session upkeep', () => {
  it('logs in again once on a 401 and carries on', async () => {
    const pve = await fakePve();
    let asked = 0;
    const events: PveClientEvent[] = [];
    const pveClient = client({ endpoints: [pinned(pve.port)], credentials: () => ((asked += 1), Promise.resolve('alice-password')) }, events);
    await pveClient.login({ secret: 'alice-password' });
    pve.expireTickets();
    const resources = await pveClient.getClusterResources();
    expect(resources.map((resource) => resource.id)).toEqual(['node/pve1', 'qemu/100']);
    expect(asked).toBe(1);
    expect(pve.requestsTo('GET', '/cluster/resources')).toHaveLength(2);
    expect(events).toContainEqual({ type: 'relogged-in' });
  });

  it('gives AUTH_FAILED when the retry after a re-login is refused too', async () => {
    const pve = await fakePve();
    pve.overrides.set('GET /cluster/resources', () => ({ status: 401, message: 'authentication failure' }));
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    await pveClient.login();
    const error = await failure(pveClient.getClusterResources());
    expectCode(error, 'AUTH_FAILED');
    expect(pve.requestsTo('GET', '/cluster/resources')).toHaveLength(2);
    expect(pve.requestsTo('POST', '/access/ticket')).toHaveLength(2);
  });

  it('asks for the second factor when a background re-login needs one', async () => {
    const pve = await fakePve();
    const events: PveClientEvent[] = [];
    const pveClient = client(
      { endpoints: [pinned(pve.port)], auth: { kind: 'password', username: 'tfa', realm: 'pve' }, credentials: () => Promise.resolve('tfa-password') },
      events,
    );
    const first = await pveClient.login();
    if (first.kind !== 'second-factor') throw new Error('expected a second-factor step');
    await first.continue({ kind: 'totp', code: '123456' });
    pve.expireTickets();
    const error = await failure(pveClient.getNodes());
    expectCode(error, 'SECOND_FACTOR_REQUIRED');
    expect(error.details).toEqual({ kinds: ['totp', 'recovery'] });
    expect(events.map((event) => event.type)).toContain('session-lost');
    expect(pveClient.session).toBeUndefined();
  });

  it('renews ticket and CSRF token together on its timer', async () => {
    const pve = await fakePve();
    const events: PveClientEvent[] = [];
    const connection = createPveConnection({
      endpoints: [pinned(pve.port)],
      auth: alice,
      credentials: () => Promise.resolve('alice-password'),
      renewIntervalMs: 150,
    });
    connection.onEvent((event) => events.push(event));
    tls.cleanup(
      () => connection.pool.destroy(),
      () => connection.authenticator.forget(),
    );
    await connection.authenticator.login('alice-password');
    const firstTicket = pve.requestsTo('POST', '/access/ticket').length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const renewals = pve.requestsTo('POST', '/access/ticket').slice(firstTicket);
    expect(renewals.length).toBeGreaterThanOrEqual(2);
    // Each renewal presents the ticket of the previous issue as password.
    for (const renewal of renewals) expect(renewal.form.get('password')).toMatch(/^PVE:alice@pve:/);
    expect(events.filter((event) => event.type === 'session-renewed').length).toBe(renewals.length);

    await connection.execute(startGuest);
    const write = pve.requestsTo('POST', '/nodes/pve1/qemu/100/status/start')[0];
    const ticket = decodeURIComponent(/PVEAuthCookie=([^;]+)/.exec(write?.headers.cookie ?? '')?.[1] ?? '');
    const issued = pve.tickets.get(ticket);
    expect(issued?.issue).toBe(1 + renewals.length);
    expect(write?.headers.csrfpreventiontoken).toBe(issued?.csrf);
  });
});

describe('endpoints and failures', () => {
  it('fails over to the next endpoint when the first refuses connections, and sticks to it', async () => {
    const pve = await fakePve();
    const refused = { host: '127.0.0.1', port: await closedPort(), trust: { mode: 'pinned' as const, fingerprint: tls.certificate.fingerprint } };
    const events: PveClientEvent[] = [];
    const pveClient = client({ endpoints: [refused, pinned(pve.port)] }, events);
    expect((await pveClient.login()).kind).toBe('ok');
    expect(pveClient.activeEndpoint.port).toBe(pve.port);
    expect(events).toContainEqual({ type: 'endpoint-changed', endpoint: `127.0.0.1:${pve.port}`, previous: `127.0.0.1:${refused.port}` });
    await pveClient.getClusterStatus();
    expect(events.filter((event) => event.type === 'endpoint-changed')).toHaveLength(1);
  });

  it('fails over when a node answers 595 (no route)', async () => {
    const first = await fakePve();
    const second = await fakePve();
    first.overrides.set('GET /nodes', () => ({ status: 595, message: 'No route to host' }));
    const pveClient = client({ endpoints: [pinned(first.port), pinned(second.port)] });
    await pveClient.login();
    second.tickets.clear();
    // Tickets are cluster-wide in PVE; the two fakes share nothing, so give the second one the same accounts' tickets.
    for (const [ticket, issued] of first.tickets) second.tickets.set(ticket, issued);
    const nodes = await pveClient.getNodes();
    expect(nodes.map((node) => node.node)).toEqual(['pve1', 'pve2']);
    expect(pveClient.activeEndpoint.port).toBe(second.port);
  });

  it('lists every endpoint tried when none answers', async () => {
    const a = await closedPort();
    const silent = await startSilentTcpServer();
    tls.cleanup(() => silent.close());
    const pveClient = client({ endpoints: [pinned(a), pinned(silent.port)], connectTimeoutMs: 300 });
    const error = await failure(pveClient.getDomains());
    expectCode(error, 'UNREACHABLE');
    expect(error.details).toEqual({
      tried: [
        { endpoint: `127.0.0.1:${a}`, reason: 'connection refused (ECONNREFUSED)' },
        { endpoint: `127.0.0.1:${silent.port}`, reason: 'timed out' },
      ],
    });
    expect(error.message).toContain(`127.0.0.1:${a}`);
  });

  it('stops at a changed certificate with both fingerprints, sends nothing and does not fail over', async () => {
    const impostor = await fakePve(tls.other);
    const genuine = await fakePve();
    const pveClient = client({ endpoints: [pinned(impostor.port), pinned(genuine.port)] });
    const error = await failure(pveClient.login({ secret: 'alice-password' }));
    expectCode(error, 'TLS_MISMATCH');
    expect(error.details).toEqual({ endpoint: `127.0.0.1:${impostor.port}`, expected: tls.certificate.fingerprint, actual: tls.other.fingerprint });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(impostor.applicationBytes).toBe(0);
    expect(impostor.requests).toHaveLength(0);
    expect(genuine.requests).toHaveLength(0);
  });

  it('refuses an unknown certificate in system mode and describes it so the user can pin it', async () => {
    const pve = await fakePve();
    const pveClient = client({ endpoints: [{ host: '127.0.0.1', port: pve.port, trust: { mode: 'system' } }] });
    const error = await failure(pveClient.getDomains());
    expectCode(error, 'TLS_UNTRUSTED');
    const details = error.details as { certificate?: { fingerprint256: string; subject: string } };
    expect(details.certificate?.fingerprint256).toBe(tls.certificate.fingerprint);
    expect(details.certificate?.subject).toContain('CN=pve1.test');
    expect(pve.requests).toHaveLength(0);
    expect(pve.applicationBytes).toBe(0);
  });

  it('times out a call that gets no answer', async () => {
    const pve = await fakePve();
    pve.overrides.set('GET /access/domains', () => ({ data: [], delayMs: 2_000 }));
    const error = await failure(client({ endpoints: [pinned(pve.port)], timeoutMs: 300 }).getDomains());
    expectCode(error, 'TIMEOUT');
    expect(error.details).toEqual({ endpoint: `127.0.0.1:${pve.port}`, timeoutMs: 300 });
  });

  it('cancels a call in flight and one cancelled before it starts', async () => {
    const pve = await fakePve();
    pve.overrides.set('GET /access/domains', () => ({ data: [], delayMs: 2_000 }));
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expectCode(await failure(pveClient.getDomains({ signal: controller.signal })), 'CANCELLED');
    expectCode(await failure(pveClient.getDomains({ signal: AbortSignal.abort() })), 'CANCELLED');
  });

  it('turns malformed JSON and wrong shapes into BAD_RESPONSE naming the call', async () => {
    const pve = await fakePve();
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    await pveClient.login();

    pve.overrides.set('GET /cluster/resources', () => ({ raw: '{"data": [' }));
    const notJson = await failure(pveClient.getClusterResources());
    expectCode(notJson, 'BAD_RESPONSE');
    expect(notJson.details).toEqual({ call: 'GET /cluster/resources', problem: 'the body is not JSON' });

    pve.overrides.set('GET /cluster/resources', () => ({ data: [{ id: 'qemu/100', type: 'qemu', vmid: 'one hundred' }] }));
    const wrongShape = await failure(pveClient.getClusterResources());
    expectCode(wrongShape, 'BAD_RESPONSE');
    expect(wrongShape.message).toContain('GET /cluster/resources');
    expect(wrongShape.message).toContain('0.vmid');

    pve.overrides.set('GET /cluster/resources', () => ({ raw: '{"result": []}' }));
    expectCode(await failure(pveClient.getClusterResources()), 'BAD_RESPONSE');

    pve.overrides.set('GET /cluster/status', () => ({ data: { not: 'a list' } }));
    expectCode(await failure(pveClient.getClusterStatus()), 'BAD_RESPONSE');
  });

  it('reads typed answers, tolerating unknown fields and Perl-style numbers', async () => {
    const pve = await fakePve();
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    await pveClient.login();
    pve.overrides.set('GET /cluster/resources', () => ({
      data: [{ id: 'qemu/100', type: 'qemu', vmid: '100', maxmem: '1073741824', template: '1', tags: 'a;b', brand_new: { x: 1 } }],
    }));
    expect(await pveClient.getClusterResources({ type: 'vm' })).toEqual([
      { id: 'qemu/100', type: 'qemu', vmid: 100, maxmem: 1073741824, template: true, tags: ['a', 'b'] },
    ]);
    expect(pve.requestsTo('GET', '/cluster/resources')[0]?.query.get('type')).toBe('vm');
    expect(await pveClient.getClusterStatus()).toEqual({
      cluster: { name: 'testcluster', quorate: true, nodes: 2, version: 3 },
      nodes: [
        { name: 'pve1', online: true, ip: '127.0.0.1', local: true, nodeid: 1 },
        { name: 'pve2', online: false, ip: '127.0.0.2', local: false, nodeid: 2 },
      ],
    });
    expect(await pveClient.getPermissions()).toEqual({ '/': ['Sys.Audit'], '/vms/100': ['VM.Console', 'VM.PowerMgmt'] });
  });

  it('parses a permission refusal into path and privilege', async () => {
    const pve = await fakePve();
    pve.overrides.set('GET /cluster/status', () => ({ status: 403, message: 'Permission check failed (/, Sys.Audit)' }));
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    await pveClient.login();
    const error = await failure(pveClient.getClusterStatus());
    expectCode(error, 'PERMISSION_DENIED');
    expect(error.details).toEqual({ path: '/', privilege: 'Sys.Audit', serverMessage: 'Permission check failed (/, Sys.Audit)' });
    expect(error.message).toContain('Sys.Audit on /');
  });

  it("reports PVE's own errors with status and message", async () => {
    const pve = await fakePve();
    pve.overrides.set('GET /nodes', () => ({ status: 500, message: 'cluster not ready - no quorum?' }));
    const pveClient = client({ endpoints: [pinned(pve.port)] });
    await pveClient.login();
    const error = await failure(pveClient.getNodes());
    expectCode(error, 'SERVER_ERROR');
    expect(error.details).toEqual({ endpoint: `127.0.0.1:${pve.port}`, status: 500, serverMessage: 'cluster not ready - no quorum?' });
  });

  it('never puts a password, ticket or CSRF token in errors, events or the log', async () => {
    const pve = await fakePve();
    const lines: string[] = [];
    const events: PveClientEvent[] = [];
    const pveClient = client({ endpoints: [pinned(pve.port)], logger: recordingLogger(lines), renewIntervalMs: 100 }, events);
    const errors: PveError[] = [];
    errors.push(await failure(pveClient.login({ secret: 'wrong-password-xyz' })));
    await pveClient.login({ secret: 'alice-password' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    pve.expireTickets();
    await pveClient.getNodes();
    pve.overrides.set('GET /nodes', () => ({ status: 401 }));
    errors.push(await failure(pveClient.getNodes()));
    const secrets = ['wrong-password-xyz', 'alice-password', ...[...pve.tickets.values()].map((issued) => issued.csrf), ...pve.tickets.keys()];
    const exposed = JSON.stringify({ lines, events, errors: errors.map((error) => ({ ...error.toPayload(), stack: error.stack })) });
    for (const secret of secrets) expect(exposed).not.toContain(secret);
    expect(lines.length).toBeGreaterThan(0);
  });
});
