import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startLab, type RunningLab } from './lab-harness';

/** The code is computed by oathtool, an implementation independent of the lab's. */
function totp(secret: string): string {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

let lab: RunningLab;

beforeAll(async () => {
  lab = await startLab(['--onboot', '0', '--ticket-lifetime', '10', '--auth-delay-ms', '50']);
}, 90_000);

afterAll(async () => {
  await lab?.stop();
});

describe('lab API authentication', () => {
  it('lists the realms without authentication', async () => {
    const res = await call(lab, 'GET', '/access/domains');
    expect(res.status).toBe(200);
    expect((res.body.data as { realm: string }[]).map((r) => r.realm).sort()).toEqual(['pam', 'pve']);
  });

  it('logs in with a password and returns a PVE ticket, CSRF token, cap and clustername', async () => {
    const { root } = lab.ready.accounts;
    const res = await call(lab, 'POST', '/access/ticket', { params: { username: 'root', realm: 'pam', password: root.password } });
    expect(res.status).toBe(200);
    const data = res.body.data as Record<string, unknown>;
    expect(data.username).toBe('root@pam');
    expect(data.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/=]+$/);
    expect(data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect(data.clustername).toBe('lab1');
    expect((data.cap as Record<string, Record<string, number>>).vms?.['VM.Allocate']).toBe(1);
  });

  it('refuses a wrong password and an unknown user with 401', async () => {
    const wrong = await call(lab, 'POST', '/access/ticket', { params: { username: 'root@pam', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.data).toBeNull();
    const unknown = await call(lab, 'POST', '/access/ticket', { params: { username: 'nobody@pve', password: 'x' } });
    expect(unknown.status).toBe(401);
  });

  it('accepts the ticket as cookie and as Authorization header, and refuses requests without one', async () => {
    const auth = await login(lab, 'root@pam', lab.ready.accounts.root.password);
    expect((await call(lab, 'GET', '/version', { auth: { ticket: auth.ticket } })).status).toBe(200);
    const viaHeader = await new Promise<number>((resolve, reject) => {
      void import('node:https').then(({ request }) => {
        const req = request(`${lab.api}/api2/json/version`, { ca: lab.ca, headers: { Authorization: `PVEAuthCookie=${auth.ticket}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    });
    expect(viaHeader).toBe(200);
    const none = await call(lab, 'GET', '/cluster/resources');
    expect(none.status).toBe(401);
    const forged = await call(lab, 'GET', '/version', { auth: { ticket: (auth.ticket ?? '').replace('root@pam', 'student@pve') } });
    expect(forged.status).toBe(401);
  });

  it('requires the CSRF token on writes made with a ticket', async () => {
    const auth = await login(lab, 'labadmin@pve', lab.ready.accounts.admin.password);
    const params = { description: 'csrf check' };
    const without = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth: { ticket: auth.ticket }, params });
    expect(without.status).toBe(401);
    const wrong = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth: { ticket: auth.ticket, csrf: '6B000000:forged' }, params });
    expect(wrong.status).toBe(401);
    const ok = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params });
    expect(ok.status).toBe(200);
  });

  it('renews a ticket with the ticket as password, and refuses it once expired', async () => {
    const { root } = lab.ready.accounts;
    const first = await login(lab, 'root@pam', root.password);
    const renewed = await call(lab, 'POST', '/access/ticket', { params: { username: 'root@pam', password: first.ticket ?? '' } });
    expect(renewed.status).toBe(200);
    expect((renewed.body.data as { ticket: string }).ticket).toMatch(/^PVE:root@pam:/);
    // --ticket-lifetime 10 in this lab
    await new Promise((r) => setTimeout(r, 11_500));
    expect((await call(lab, 'GET', '/version', { auth: first })).status).toBe(401);
    const late = await call(lab, 'POST', '/access/ticket', { params: { username: 'root@pam', password: first.ticket ?? '' } });
    expect(late.status).toBe(401);
  }, 30_000);

  it('runs the TOTP two-factor flow with a partial ticket that authenticates nothing else', async () => {
    const { tfa } = lab.ready.accounts;
    const first = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password } });
    expect(first.status).toBe(200);
    const partial = first.body.data as { ticket: string; NeedTFA: number };
    expect(partial.NeedTFA).toBe(1);
    expect(partial.ticket).toMatch(/^PVE:!tfa!\{.*%3A.*\}:[0-9A-F]{8}::/);
    expect((await call(lab, 'GET', '/version', { auth: { ticket: partial.ticket } })).status).toBe(401);

    const bad = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, 'tfa-challenge': partial.ticket, password: 'totp:000000' } });
    expect(bad.status).toBe(401);
    const second = await call(lab, 'POST', '/access/ticket', {
      params: { username: tfa.userid, 'tfa-challenge': partial.ticket, password: `totp:${totp(tfa.totpSecret)}` },
    });
    expect(second.status).toBe(200);
    const full = second.body.data as { ticket: string; CSRFPreventionToken: string };
    expect(full.ticket).toMatch(/^PVE:tfauser@pve:/);
    expect((await call(lab, 'GET', '/cluster/status', { auth: { ticket: full.ticket } })).status).toBe(200);
  });

  it('accepts a recovery key once', async () => {
    const { tfa } = lab.ready.accounts;
    const key = tfa.recoveryKeys[0] ?? '';
    const challenge = async (): Promise<string> =>
      ((await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password } })).body.data as { ticket: string }).ticket;
    const ok = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, 'tfa-challenge': await challenge(), password: `recovery:${key}` } });
    expect(ok.status).toBe(200);
    const again = await call(lab, 'POST', '/access/ticket', {
      params: { username: tfa.userid, 'tfa-challenge': await challenge(), password: `recovery:${key}` },
    });
    expect(again.status).toBe(401);
  });

  it('authenticates API tokens without CSRF, refuses them at /access/ticket, and refuses bad or revoked tokens', async () => {
    const { token, root } = lab.ready.accounts;
    expect((await call(lab, 'GET', '/cluster/resources', { auth: { token: token.value } })).status).toBe(200);
    const write = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth: { token: token.value }, params: { description: 'by token' } });
    expect(write.status).toBe(200);
    expect(
      (await call(lab, 'POST', '/access/ticket', { auth: { token: token.value }, params: { username: 'root@pam', password: root.password } })).status,
    ).toBe(401);
    expect((await call(lab, 'GET', '/version', { auth: { token: `${token.tokenid}=00000000-0000-0000-0000-000000000000` } })).status).toBe(401);
    expect((await call(lab, 'GET', '/version', { auth: { token: `root@pam!absent=${token.secret}` } })).status).toBe(401);

    const rootAuth = await login(lab, 'root@pam', root.password);
    const created = await call(lab, 'POST', '/access/users/root@pam/token/ci', { auth: rootAuth, params: { privsep: 0 } });
    expect(created.status).toBe(200);
    const value = `root@pam!ci=${(created.body.data as { value: string }).value}`;
    expect((await call(lab, 'GET', '/version', { auth: { token: value } })).status).toBe(200);
    expect((await call(lab, 'DELETE', '/access/users/root@pam/token/ci', { auth: rootAuth })).status).toBe(200);
    expect((await call(lab, 'GET', '/version', { auth: { token: value } })).status).toBe(401);
  });
});

describe('lab API privileges', () => {
  it('shows a PVEVMUser only the guests of its pool, and nothing of nodes', async () => {
    const { user } = lab.ready.accounts;
    const auth = await login(lab, user.userid, user.password);
    const res = await call(lab, 'GET', '/cluster/resources', { auth });
    const items = res.body.data as { type: string; vmid?: number; pool?: string }[];
    const vms = items.filter((i) => i.type === 'qemu');
    expect(vms.map((v) => v.vmid).sort()).toEqual([...user.vmids].sort());
    expect(vms.length).toBe(3);
    expect(vms.every((v) => v.pool === user.pool)).toBe(true);
    expect(items.some((i) => i.type === 'node')).toBe(false);
    expect(auth.cap.vms?.['VM.Console']).toBe(1);
    expect(auth.cap.vms?.['VM.Allocate']).toBeUndefined();
  });

  it("answers 403 with PVE's message outside the pool and for missing config privileges", async () => {
    const { user } = lab.ready.accounts;
    const auth = await login(lab, user.userid, user.password);
    const outside = await call(lab, 'GET', '/nodes/pve1/qemu/110/status/current', { auth });
    expect(outside.status).toBe(403);
    expect(outside.body.message).toBe('Permission check failed (/vms/110, VM.Audit)\n');
    const memory = await call(lab, 'PUT', '/nodes/pve1/qemu/100/config', { auth, params: { memory: 256 } });
    expect(memory.status).toBe(403);
    expect(memory.body.message).toContain('(/vms/100, VM.Config.Memory)');
    const perms = await call(lab, 'GET', '/access/permissions', { auth });
    const paths = perms.body.data as Record<string, Record<string, number>>;
    expect(paths['/vms/100']?.['VM.Console']).toBe(1);
    expect(paths['/vms/110']).toBeUndefined();
  });

  it('lets the PVEAdmin see everything but not change system settings', async () => {
    const { admin } = lab.ready.accounts;
    const auth = await login(lab, admin.userid, admin.password);
    const items = (await call(lab, 'GET', '/cluster/resources', { auth })).body.data as { type: string }[];
    expect(items.filter((i) => i.type === 'node').length).toBe(3);
    expect(auth.cap.nodes?.['Sys.Modify']).toBeUndefined();
    expect((await call(lab, 'GET', '/lab/faults', { auth })).status).toBe(403);
  });
});

describe('lab API errors and config locking', () => {
  it('answers 400 with per-parameter errors, 501 for unknown paths and methods', async () => {
    const auth = { token: lab.ready.accounts.token.value };
    const bad = await call(lab, 'GET', '/nodes/pve1/qemu/100/rrddata', { auth, params: { timeframe: 'century' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Parameter verification failed.\n');
    expect(Object.keys(bad.body.errors ?? {})).toEqual(['timeframe']);
    const unknownKey = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { flux: 1 } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.errors?.flux).toContain('not defined in schema');
    expect((await call(lab, 'GET', '/no/such/path', { auth })).status).toBe(501);
    expect((await call(lab, 'DELETE', '/version', { auth })).status).toBe(501);
  });

  it('refuses a config change with a stale digest', async () => {
    const auth = { token: lab.ready.accounts.token.value };
    const before = (await call(lab, 'GET', '/nodes/pve1/qemu/116/config', { auth })).body.data as { digest: string };
    expect(before.digest).toMatch(/^[0-9a-f]{40}$/);
    const first = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { memory: 3072, digest: before.digest } });
    expect(first.status).toBe(200);
    const stale = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { memory: 1024, digest: before.digest } });
    expect(stale.status).toBe(500);
    expect(stale.body.message).toContain('detected modified configuration');
    const after = (await call(lab, 'GET', '/nodes/pve1/qemu/116/config', { auth })).body.data as { memory: string; digest: string };
    expect(after.memory).toBe('3072');
    expect(after.digest).not.toBe(before.digest);
    const removed = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params: { delete: 'tags' } });
    expect(removed.status).toBe(200);
    expect(((await call(lab, 'GET', '/nodes/pve1/qemu/116/config', { auth })).body.data as { tags?: string }).tags).toBeUndefined();
  });

  it('accepts JSON bodies', async () => {
    const auth = { token: lab.ready.accounts.token.value };
    const res = await call(lab, 'PUT', '/nodes/pve2/qemu/117/config', { auth, params: { cores: 4 }, json: true });
    expect(res.status).toBe(200);
    expect(((await call(lab, 'GET', '/nodes/pve2/qemu/117/config', { auth })).body.data as { cores: string }).cores).toBe('4');
  });
});
