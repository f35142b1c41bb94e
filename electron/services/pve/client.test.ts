import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../log';
import type { ApiCall } from './api/api-call';
import type { PveAuthMethod } from './auth/auth-method';
import { createPveClient, createPveConnection, type PveClient, type PveClientOptions } from './client';
import type { PveClientEvent } from './client-events';
import type { PveEndpoint } from './endpoint';
import { FakePve } from './testing/fake-pve';
import { useTlsFixtures } from './testing/tls-fixtures';
import { expectCode, failure } from './testing/pve-failure';
import { closedPort, startSilentTcpServer } from './testing/tls-test-server';
import { z } from 'zod';

/**
 * The client against the fake, for what the lab cannot show: the headers
 * and form fields each request carried (CSRF only on writes, a token and no
 * ticket request, how many retries), answers the lab never sends (broken
 * JSON, odd shapes, Perl-style numbers, a 401 after a fresh login, a 595),
 * and an impostor with another certificate. Everything else runs against
 * the lab in client.lab.test.ts.
 */
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

/** A write call the public API does not offer yet, to see the CSRF rule at work. */
const startGuest: ApiCall<string> = {
  method: 'POST',
  path: '/nodes/pve1/qemu/100/status/start',
  name: 'POST /nodes/{node}/qemu/{vmid}/status/start',
  authenticated: true,
  form: {},
  data: z.string(),
};

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

  it('renews ticket and CSRF token together on its timer', async () => {
    const pve = await fakePve();
    const events: PveClientEvent[] = [];
    // The renewal timer runs on a fake clock (sockets keep the real one): 15 minutes pass at once.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    tls.cleanup(() => {
      vi.useRealTimers();
    });
    const connection = createPveConnection({
      endpoints: [pinned(pve.port)],
      auth: alice,
      credentials: () => Promise.resolve('alice-password'),
    });
    connection.onEvent((event) => events.push(event));
    tls.cleanup(
      () => connection.pool.destroy(),
      () => connection.authenticator.forget(),
    );
    await connection.authenticator.login('alice-password');
    const firstTicket = pve.requestsTo('POST', '/access/ticket').length;
    for (const renewed of [1, 2]) {
      await vi.advanceTimersByTimeAsync(15 * 60_000);
      await vi.waitFor(() => expect(events.filter((event) => event.type === 'session-renewed')).toHaveLength(renewed));
    }
    const renewals = pve.requestsTo('POST', '/access/ticket').slice(firstTicket);
    expect(renewals).toHaveLength(2);
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
    expect(error.translations?.fr).toContain(`127.0.0.1:${a} (connexion refusée (ECONNREFUSED)), 127.0.0.1:${silent.port} (délai dépassé)`);
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
    // Privileges keep PVE's propagation flag: held on `/` and passed down, held on /vms/100 from a pool (0).
    expect(await pveClient.getPermissions()).toEqual({ '/': { 'Sys.Audit': 1 }, '/vms/100': { 'VM.Console': 0, 'VM.PowerMgmt': 0 } });
  });
});
