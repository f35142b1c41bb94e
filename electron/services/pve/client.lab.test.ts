import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, login, startLab, type RunningLab } from '../../../lab/api/lab-harness';
import { hasPrivilege } from '../../../shared/domain/permissions';
import type { Logger } from '../log';
import type { ApiCall } from './api/api-call';
import type { PveAuthMethod } from './auth/auth-method';
import { createPveClient, createPveConnection, type PveClient, type PveClientOptions, type PveConnection } from './client';
import type { PveClientEvent } from './client-events';
import type { PveEndpoint } from './endpoint';
import type { PveError } from './errors';
import { expectCode, failure } from './testing/pve-failure';
import { closedPort } from './testing/tls-test-server';

/**
 * The PVE client against the lab, which answers as PVE 9 does: logins,
 * second factors, CSRF, tokens, session upkeep, permissions, failures.
 * What the lab cannot do (record requests, send broken answers, play an
 * impostor) stays in client.test.ts against the fake.
 */
/** PVE's own ticket lifetime (2 hours): the lab's clock is moved past it, nothing sleeps. */
const ticketLifetimeSeconds = 7200;
let lab: RunningLab;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  lab = await startLab(['--onboot', '0', '--nodes', '2', '--ticket-lifetime', String(ticketLifetimeSeconds), '--clock-control']);
}, 90_000);

afterEach(() => {
  for (const step of cleanups.splice(0).reverse()) step();
});

afterAll(async () => {
  await lab?.stop();
});

function cluster(): RunningLab['ready']['clusters'][number] {
  const found = lab.ready.clusters[0];
  if (found === undefined) throw new Error('the lab has no cluster');
  return found;
}

function endpoint(url = cluster().api, fingerprint = cluster().fingerprint): PveEndpoint {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port), trust: { mode: 'pinned', fingerprint } };
}

function passwordOf(account: { userid: string }): PveAuthMethod {
  const [username = '', realm = ''] = account.userid.split('@');
  return { kind: 'password', username, realm };
}

function client(
  options: Partial<PveClientOptions> & { auth: PveAuthMethod; credentials: PveClientOptions['credentials'] },
  events?: PveClientEvent[],
): PveClient {
  const created = createPveClient({ endpoints: [endpoint()], ...options });
  if (events !== undefined) created.onEvent((event) => events.push(event));
  cleanups.push(() => created.close());
  return created;
}

function connection(options: Partial<PveClientOptions> & { auth: PveAuthMethod; credentials: PveClientOptions['credentials'] }): PveConnection {
  const created = createPveConnection({ endpoints: [endpoint()], ...options });
  cleanups.push(
    () => created.pool.destroy(),
    () => created.authenticator.forget(),
  );
  return created;
}

const secretOf = (password: string) => () => Promise.resolve(password);

function totp(secret: string): string {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, event, fields }, (_key, value: unknown) => (value instanceof Error ? { message: value.message } : value)));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A harmless write: it needs the CSRF token with a ticket, and none with a token. */
const describeGuest: ApiCall<unknown> = {
  method: 'PUT',
  path: '/nodes/pve1/qemu/116/config',
  name: 'PUT /nodes/{node}/qemu/{vmid}/config',
  authenticated: true,
  form: { description: 'written by the client test' },
  data: z.unknown(),
};

async function setFaults(params: Record<string, string | number>): Promise<void> {
  const res = await call(lab, 'POST', '/lab/faults', { auth: { token: lab.ready.accounts.token.value }, params });
  expect(res.status).toBe(200);
}

describe('permissions', () => {
  it('a user whose rights come from a pool keeps console and power on its guests', async () => {
    const { user } = lab.ready.accounts;
    const pveClient = client({ auth: passwordOf(user), credentials: secretOf(user.password) });
    const result = await pveClient.login();
    if (result.kind !== 'ok') throw new Error('expected a session');
    expect(result.session.capabilities?.vms).toEqual(expect.arrayContaining(['VM.Console', 'VM.PowerMgmt']));
    const permissions = await pveClient.getPermissions();
    for (const vmid of user.vmids) {
      expect(hasPrivilege(permissions, `/vms/${vmid}`, 'VM.Console')).toBe(true);
      expect(hasPrivilege(permissions, `/vms/${vmid}`, 'VM.PowerMgmt')).toBe(true);
    }
    expect(hasPrivilege(permissions, '/vms/110', 'VM.Console')).toBe(false);
  });

  it('turns a permission refusal into path and privilege', async () => {
    const { user } = lab.ready.accounts;
    const pveClient = client({ auth: passwordOf(user), credentials: secretOf(user.password) });
    await pveClient.login();
    const error = await failure(pveClient.getClusterStatus());
    expectCode(error, 'PERMISSION_DENIED');
    expect(error.details).toEqual({ path: '/', privilege: 'Sys.Audit', serverMessage: 'Permission check failed (/, Sys.Audit)' });
  });
});

describe('login', () => {
  it('logs in with a password: capabilities and cluster name, never the ticket', async () => {
    const { admin } = lab.ready.accounts;
    const pveClient = client({ auth: passwordOf(admin), credentials: secretOf(admin.password) });
    const result = await pveClient.login({ secret: admin.password });
    if (result.kind !== 'ok') throw new Error('expected a session');
    expect(result.session).toMatchObject({ userid: admin.userid, authKind: 'ticket', clusterName: cluster().name });
    expect(result.session.capabilities?.nodes).toContain('Sys.Audit');
    expect(JSON.stringify(pveClient.session)).not.toContain('PVE:');
  });

  it('takes the stored password when none is typed, and refuses a wrong one with AUTH_FAILED', async () => {
    const { admin } = lab.ready.accounts;
    let asked = 0;
    const pveClient = client({ auth: passwordOf(admin), credentials: () => ((asked += 1), Promise.resolve(admin.password)) });
    expect((await pveClient.login()).kind).toBe('ok');
    expect(asked).toBe(1);
    const error = await failure(pveClient.login({ secret: 'not-the-password-123' }));
    expectCode(error, 'AUTH_FAILED');
    expect(error.message).toContain(admin.userid);
    expect(error.message).not.toContain('not-the-password-123');
  });

  it('walks the second factor: the kinds offered, a wrong code, a TOTP code, a recovery key', async () => {
    const { tfa } = lab.ready.accounts;
    const pveClient = client({ auth: passwordOf(tfa), credentials: secretOf(tfa.password) });
    const first = await pveClient.login();
    if (first.kind !== 'second-factor') throw new Error('expected a second-factor step');
    expect(first.kinds).toEqual(['totp', 'recovery']);
    expect(pveClient.session).toBeUndefined();
    expectCode(await failure(first.continue({ kind: 'totp', code: '000000' })), 'AUTH_FAILED');
    const second = await first.continue({ kind: 'totp', code: totp(tfa.totpSecret) });
    expect(second).toMatchObject({ kind: 'ok', session: { userid: tfa.userid, clusterName: cluster().name } });
    expect(await pveClient.getVersion()).toMatchObject({ version: expect.any(String) as unknown });

    const again = await pveClient.login();
    if (again.kind !== 'second-factor') throw new Error('expected a second-factor step');
    expect((await again.continue({ kind: 'recovery', key: tfa.recoveryKeys.at(-1) ?? '' })).kind).toBe('ok');
  });

  it('fetches the realms without a session', async () => {
    const pveClient = client({ auth: passwordOf(lab.ready.accounts.admin), credentials: () => Promise.resolve(undefined) });
    const realms = await pveClient.getDomains();
    expect(realms.map((realm) => realm.realm).sort()).toEqual(['pam', 'pve']);
  });
});

describe('CSRF and tokens', () => {
  it('writes with a ticket (the lab refuses a write without its CSRF token)', async () => {
    const { admin } = lab.ready.accounts;
    const pve = connection({ auth: passwordOf(admin), credentials: secretOf(admin.password) });
    await pve.authenticator.login(undefined);
    await expect(pve.execute(describeGuest)).resolves.toBeNull();
  });

  it('writes with an API token, and reports a revoked token as AUTH_FAILED naming it, never its secret', async () => {
    const { root } = lab.ready.accounts;
    const rootAuth = await login(lab, root.userid, root.password);
    const created = await call(lab, 'POST', '/access/users/root@pam/token/client-test', { auth: rootAuth, params: { privsep: 0 } });
    const secret = (created.body.data as { value: string }).value;
    const lines: string[] = [];
    const pve = connection({ auth: { kind: 'token', tokenId: 'root@pam!client-test' }, credentials: secretOf(secret), logger: recordingLogger(lines) });
    expect(await pve.authenticator.login(undefined)).toEqual({ kind: 'ok', session: { userid: 'root@pam!client-test', authKind: 'token' } });
    await expect(pve.execute(describeGuest)).resolves.toBeNull();
    expect((await call(lab, 'DELETE', '/access/users/root@pam/token/client-test', { auth: rootAuth })).status).toBe(200);
    const error = await failure(pve.execute({ ...describeGuest, method: 'GET', path: '/cluster/resources', form: undefined }));
    expectCode(error, 'AUTH_FAILED');
    expect(error.message).toContain('root@pam!client-test');
    expect(JSON.stringify({ message: error.message, details: error.details, lines })).not.toContain(secret);
  });
});

describe('session upkeep', () => {
  it('renews ticket and CSRF token together on its timer, and writes with the renewed pair', async () => {
    const { admin } = lab.ready.accounts;
    const events: PveClientEvent[] = [];
    const pve = connection({ auth: passwordOf(admin), credentials: secretOf(admin.password), renewIntervalMs: 300 });
    pve.onEvent((event) => events.push(event));
    await pve.authenticator.login(admin.password);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(events.filter((event) => event.type === 'session-renewed').length).toBeGreaterThanOrEqual(2);
    await expect(pve.execute(describeGuest)).resolves.toBeNull();
  });

  it('after the ticket expires: logs in again with the stored password, or asks for the second factor', async () => {
    const { admin, tfa } = lab.ready.accounts;
    let asked = 0;
    const events: PveClientEvent[] = [];
    const plain = client({ auth: passwordOf(admin), credentials: () => ((asked += 1), Promise.resolve(admin.password)) }, events);
    await plain.login({ secret: admin.password });
    const tfaEvents: PveClientEvent[] = [];
    const withTfa = client({ auth: passwordOf(tfa), credentials: secretOf(tfa.password) }, tfaEvents);
    const first = await withTfa.login();
    if (first.kind !== 'second-factor') throw new Error('expected a second-factor step');
    await first.continue({ kind: 'totp', code: totp(tfa.totpSecret) });

    await lab.advanceClock(ticketLifetimeSeconds + 1);
    expect((await plain.getClusterResources()).length).toBeGreaterThan(0);
    expect(asked).toBe(1);
    expect(events).toContainEqual({ type: 'relogged-in' });

    const error = await failure(withTfa.getNodes());
    expectCode(error, 'SECOND_FACTOR_REQUIRED');
    expect(error.details).toEqual({ kinds: ['totp', 'recovery'] });
    expect(tfaEvents.map((event) => event.type)).toContain('session-lost');
    expect(withTfa.session).toBeUndefined();
  }, 30_000);
});

describe('endpoints and failures', () => {
  it('fails over from an endpoint that refuses connections to the lab, and sticks to it', async () => {
    const { admin } = lab.ready.accounts;
    const refused: PveEndpoint = { host: '127.0.0.1', port: await closedPort(), trust: { mode: 'pinned', fingerprint: cluster().fingerprint } };
    const events: PveClientEvent[] = [];
    const pveClient = client({ endpoints: [refused, endpoint()], auth: passwordOf(admin), credentials: secretOf(admin.password) }, events);
    expect((await pveClient.login()).kind).toBe('ok');
    expect(pveClient.activeEndpoint).toEqual(endpoint());
    await pveClient.getClusterStatus();
    expect(events.filter((event) => event.type === 'endpoint-changed')).toHaveLength(1);
  });

  it("refuses the lab's certificate in system mode and describes it so the user can pin it", async () => {
    const { hostname, port } = new URL(cluster().api);
    const pveClient = client({
      endpoints: [{ host: hostname, port: Number(port), trust: { mode: 'system' } }],
      auth: passwordOf(lab.ready.accounts.admin),
      credentials: () => Promise.resolve(undefined),
    });
    const error = await failure(pveClient.getDomains());
    expectCode(error, 'TLS_UNTRUSTED');
    expect((error.details as { certificate?: { fingerprint256: string } }).certificate?.fingerprint256).toBe(cluster().fingerprint);
  });

  it('times out a call that gets no answer, and cancels one in flight or before it starts', async () => {
    await setFaults({ delay: 2_000, path: '^/access/domains$' });
    try {
      const auth = passwordOf(lab.ready.accounts.admin);
      const slow = client({ auth, credentials: () => Promise.resolve(undefined), timeoutMs: 300 });
      const timedOut = await failure(slow.getDomains());
      expectCode(timedOut, 'TIMEOUT');
      expect(timedOut.details).toEqual({ endpoint: `${endpoint().host}:${endpoint().port}`, timeoutMs: 300 });
      const pveClient = client({ auth, credentials: () => Promise.resolve(undefined) });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      expectCode(await failure(pveClient.getDomains({ signal: controller.signal })), 'CANCELLED');
      expectCode(await failure(pveClient.getDomains({ signal: AbortSignal.abort() })), 'CANCELLED');
    } finally {
      await setFaults({ clear: 1 });
    }
  });

  it("reports PVE's own errors with status and message", async () => {
    const { token } = lab.ready.accounts;
    const [tokenId = '', secret = ''] = token.value.split('=');
    const pve = connection({ auth: { kind: 'token', tokenId }, credentials: secretOf(secret) });
    await pve.authenticator.login(undefined);
    const error = await failure(pve.execute({ ...describeGuest, method: 'GET', path: '/nodes/pve1/qemu/999/status/current', form: undefined }));
    expectCode(error, 'SERVER_ERROR');
    expect(error.details).toMatchObject({ status: 500, serverMessage: expect.stringContaining('999') as unknown });
  });

  it('never puts a password, ticket or CSRF token in errors, events or the log', async () => {
    const { admin } = lab.ready.accounts;
    const lines: string[] = [];
    const events: PveClientEvent[] = [];
    const pveClient = client({ auth: passwordOf(admin), credentials: secretOf(admin.password), logger: recordingLogger(lines), renewIntervalMs: 200 }, events);
    const errors: PveError[] = [await failure(pveClient.login({ secret: 'wrong-password-xyz' }))];
    await pveClient.login({ secret: admin.password });
    await new Promise((resolve) => setTimeout(resolve, 500));
    errors.push(await failure(pveClient.getClusterResources({ signal: AbortSignal.abort() })));
    const exposed = JSON.stringify({ lines, events, errors: errors.map((error) => ({ ...error.toPayload(), stack: error.stack })) });
    for (const secret of ['wrong-password-xyz', admin.password]) expect(exposed).not.toContain(secret);
    // A ticket (PVE:user:TIME::signature) or a CSRF token (TIME:base64 HMAC).
    expect(exposed).not.toMatch(/PVE:[^"\s]*::/);
    expect(exposed).not.toMatch(/[0-9A-F]{8}:[A-Za-z0-9+/]{43}/);
    expect(lines.length).toBeGreaterThan(0);
  });
});
