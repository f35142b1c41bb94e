import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startLab, TEST_AUTH_DELAY_MS, type ApiResponse, type RunningLab } from './lab-harness';

/** The code is computed by oathtool, an implementation independent of the lab's. */
function totp(secret: string): string {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

/** The challenge a partial ticket carries: `PVE:!tfa!<JSON with ':' as %3A>:<time>::<signature>`. */
function challengeOf(partialTicket: string): Record<string, unknown> {
  const data = /^PVE:!tfa!(.*):[0-9A-F]{8}::/.exec(partialTicket)?.[1] ?? '';
  return JSON.parse(decodeURIComponent(data)) as Record<string, unknown>;
}

/** PVE's auth handler refusal: 401, the reason only in the status line, no body. */
function expectAuthHandlerRefusal(res: ApiResponse, reason: string): void {
  expect(res.status).toBe(401);
  expect(res.statusMessage).toBe(reason);
  expect(res.text).toBe('');
}

let lab: RunningLab;

beforeAll(async () => {
  lab = await startLab(['--onboot', '0', '--ticket-lifetime', '10']);
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

  it("refuses a wrong password and an unknown user alike, after the delay, with create_ticket's 401", async () => {
    const started = Date.now();
    const wrong = await call(lab, 'POST', '/access/ticket', { params: { username: 'root@pam', password: 'not-the-password' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TEST_AUTH_DELAY_MS);
    const unknown = await call(lab, 'POST', '/access/ticket', { params: { username: 'nobody@pve', password: 'x' } });
    // The method itself refuses (not the auth handler): PVE's JSON formatter still writes the body.
    for (const refused of [wrong, unknown]) {
      expect(refused.status).toBe(401);
      expect(refused.statusMessage).toBe('authentication failure');
      expect(refused.body).toEqual({ data: null, message: 'authentication failure\n' });
    }
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
    const started = Date.now();
    expectAuthHandlerRefusal(await call(lab, 'GET', '/cluster/resources'), 'No ticket');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TEST_AUTH_DELAY_MS);
    const forged = await call(lab, 'GET', '/version', { auth: { ticket: (auth.ticket ?? '').replace('root@pam', 'student@pve') } });
    expectAuthHandlerRefusal(forged, 'Authentication failed!');
  });

  it('requires the CSRF token on writes made with a ticket', async () => {
    const auth = await login(lab, 'labadmin@pve', lab.ready.accounts.admin.password);
    const params = { description: 'csrf check' };
    const without = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth: { ticket: auth.ticket }, params });
    expectAuthHandlerRefusal(without, 'Permission denied - invalid csrf token');
    const wrong = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth: { ticket: auth.ticket, csrf: '6B000000:forged' }, params });
    expectAuthHandlerRefusal(wrong, 'Permission denied - invalid csrf token');
    const ok = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth, params });
    expect(ok.status).toBe(200);
  });

  it('renews a ticket with the ticket as password, and refuses it once expired', async () => {
    const { root } = lab.ready.accounts;
    const first = await login(lab, 'root@pam', root.password);
    const renewed = await call(lab, 'POST', '/access/ticket', { params: { username: 'root@pam', password: first.ticket ?? '' } });
    expect(renewed.status).toBe(200);
    expect((renewed.body.data as { ticket: string }).ticket).toMatch(/^PVE:root@pam:/);
    // root@pam's ticket renews anyone's (create_ticket_do); another user's ticket renews only its own.
    const { user, admin } = lab.ready.accounts;
    const forStudent = await call(lab, 'POST', '/access/ticket', { params: { username: user.userid, password: first.ticket ?? '' } });
    expect((forStudent.body.data as { username: string }).username).toBe(user.userid);
    const adminTicket = (await login(lab, admin.userid, admin.password)).ticket ?? '';
    expect((await call(lab, 'POST', '/access/ticket', { params: { username: user.userid, password: adminTicket } })).status).toBe(401);
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
    const partial = first.body.data as { ticket: string; NeedTFA: number; clustername?: string; cap?: unknown };
    expect(partial.NeedTFA).toBe(1);
    expect(partial.ticket).toMatch(/^PVE:!tfa!\{.*%3A.*\}:[0-9A-F]{8}::/);
    // The challenge lists the unused recovery keys by index; clustername comes with NeedTFA (tfauser has Sys.Audit on /), cap does not.
    expect(challengeOf(partial.ticket)).toEqual({ totp: true, recovery: tfa.recoveryKeys.map((_, index) => index) });
    expect(partial.clustername).toBe('lab1');
    expect(partial.cap).toBeUndefined();
    expectAuthHandlerRefusal(await call(lab, 'GET', '/version', { auth: { ticket: partial.ticket } }), 'Authentication failed!');

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

  it('checks a one-step otp in the prefixed form only, and still answers with the challenge as PVE 9 does', async () => {
    const { tfa, admin } = lab.ready.accounts;
    const code = totp(tfa.totpSecret);
    const bare = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password, otp: code } });
    expect(bare.status).toBe(401);
    const wrong = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password, otp: 'totp:000000' } });
    expect(wrong.status).toBe(401);
    // authenticate_2nd_new_do verifies the code, then returns the challenge it made: the answer is NeedTFA again.
    const prefixed = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password, otp: `totp:${code}` } });
    expect(prefixed.status).toBe(200);
    expect((prefixed.body.data as { NeedTFA?: number }).NeedTFA).toBe(1);
    // A user without a second factor who sends one: "no such challenge".
    expect((await call(lab, 'POST', '/access/ticket', { params: { username: admin.userid, password: admin.password, otp: `totp:${code}` } })).status).toBe(401);
    const both = await call(lab, 'POST', '/access/ticket', {
      params: { username: tfa.userid, password: `totp:${code}`, otp: `totp:${code}`, 'tfa-challenge': (prefixed.body.data as { ticket: string }).ticket },
    });
    expect(both.status).toBe(401);
  });

  it('accepts each recovery key once, and the challenge lists what is left, [] at the end', async () => {
    const { tfa } = lab.ready.accounts;
    const challenge = async (): Promise<string> =>
      ((await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password } })).body.data as { ticket: string }).ticket;
    const answer = async (key: string): Promise<number> =>
      (await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, 'tfa-challenge': await challenge(), password: `recovery:${key}` } })).status;
    const [first = '', ...rest] = tfa.recoveryKeys;
    expect(await answer(first)).toBe(200);
    expect(await answer(first)).toBe(401);
    expect(challengeOf(await challenge()).recovery).toEqual(rest.map((_, index) => index + 1));
    for (const key of rest) expect(await answer(key)).toBe(200);
    expect(challengeOf(await challenge())).toEqual({ totp: true, recovery: [] });
  });

  it('authenticates API tokens without CSRF, refuses them at /access/ticket, and refuses bad or revoked tokens', async () => {
    const { token, root } = lab.ready.accounts;
    expect((await call(lab, 'GET', '/cluster/resources', { auth: { token: token.value } })).status).toBe(200);
    const write = await call(lab, 'PUT', '/nodes/pve1/qemu/116/config', { auth: { token: token.value }, params: { description: 'by token' } });
    expect(write.status).toBe(200);
    const ticketByToken = await call(lab, 'POST', '/access/ticket', {
      auth: { token: token.value },
      params: { username: 'root@pam', password: root.password },
    });
    expect(ticketByToken.status).toBe(403);
    expect(ticketByToken.body.message).toBe("Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.\n)\n");
    expectAuthHandlerRefusal(
      await call(lab, 'GET', '/version', { auth: { token: `${token.tokenid}=00000000-0000-0000-0000-000000000000` } }),
      'Authentication failed!',
    );
    expectAuthHandlerRefusal(await call(lab, 'GET', '/version', { auth: { token: `root@pam!absent=${token.secret}` } }), 'Authentication failed!');

    const rootAuth = await login(lab, 'root@pam', root.password);
    const created = await call(lab, 'POST', '/access/users/root@pam/token/ci', { auth: rootAuth, params: { privsep: 0 } });
    expect(created.status).toBe(200);
    const value = `root@pam!ci=${(created.body.data as { value: string }).value}`;
    expect((await call(lab, 'GET', '/version', { auth: { token: value } })).status).toBe(200);
    // Tokens may manage tokens too (PVE's default allowtoken), with their privileges: root's lab token has User.Modify.
    const listed = await call(lab, 'GET', '/access/users/root@pam/token', { auth: { token: token.value } });
    expect((listed.body.data as { tokenid: string }[]).map((t) => t.tokenid).sort()).toEqual(['ci', 'lab']);
    expect((await call(lab, 'DELETE', '/access/users/root@pam/token/ci', { auth: rootAuth })).status).toBe(200);
    expect((await call(lab, 'GET', '/version', { auth: { token: value } })).status).toBe(401);
  });
});

describe('lab API privileges', () => {
  it('shows a PVEVMUser only the guests of its pool, and the nodes without their figures', async () => {
    const { user } = lab.ready.accounts;
    const auth = await login(lab, user.userid, user.password);
    const res = await call(lab, 'GET', '/cluster/resources', { auth });
    const items = res.body.data as { type: string; vmid?: number; pool?: string }[];
    const vms = items.filter((i) => i.type === 'qemu');
    expect(vms.map((v) => v.vmid).sort()).toEqual([...user.vmids].sort());
    expect(vms.length).toBe(3);
    // Cluster.pm drops `pool` without Pool.Audit on it, which PVEVMUser does not give.
    expect(vms.some((v) => v.pool !== undefined)).toBe(false);
    // Cluster.pm lists every node; extract_node_stats leaves the figures out without Sys.Audit.
    const nodes = items.filter((i) => i.type === 'node');
    expect(nodes.length).toBe(3);
    expect(nodes.some((n) => 'cpu' in n || 'maxmem' in n)).toBe(false);
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

/** PVE 9's built-in roles (pve-access-control PVE/AccessControl.pm, `$privgroups` and create_roles). */
const PVE9 = {
  PVEVMUser: [
    'VM.Audit',
    'VM.Backup',
    'VM.Config.CDROM',
    'VM.Config.Cloudinit',
    'VM.Console',
    'VM.GuestAgent.Audit',
    'VM.GuestAgent.FileRead',
    'VM.GuestAgent.FileSystemMgmt',
    'VM.GuestAgent.FileWrite',
    'VM.PowerMgmt',
  ],
  PVEAuditor: ['Datastore.Audit', 'Mapping.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit', 'VM.GuestAgent.Audit'],
  all: [
    'Datastore.Allocate',
    'Datastore.AllocateSpace',
    'Datastore.AllocateTemplate',
    'Datastore.Audit',
    'Group.Allocate',
    'Mapping.Audit',
    'Mapping.Modify',
    'Mapping.Use',
    'Permissions.Modify',
    'Pool.Allocate',
    'Pool.Audit',
    'Realm.Allocate',
    'Realm.AllocateUser',
    'SDN.Allocate',
    'SDN.Audit',
    'SDN.Use',
    'Sys.AccessNetwork',
    'Sys.Audit',
    'Sys.Console',
    'Sys.Incoming',
    'Sys.Modify',
    'Sys.PowerMgmt',
    'Sys.Syslog',
    'User.Modify',
    'VM.Allocate',
    'VM.Audit',
    'VM.Backup',
    'VM.Clone',
    'VM.Config.CDROM',
    'VM.Config.CPU',
    'VM.Config.Cloudinit',
    'VM.Config.Disk',
    'VM.Config.HWType',
    'VM.Config.Memory',
    'VM.Config.Network',
    'VM.Config.Options',
    'VM.Console',
    'VM.GuestAgent.Audit',
    'VM.GuestAgent.FileRead',
    'VM.GuestAgent.FileSystemMgmt',
    'VM.GuestAgent.FileWrite',
    'VM.GuestAgent.Unrestricted',
    'VM.Migrate',
    'VM.PowerMgmt',
    'VM.Replicate',
    'VM.Snapshot',
    'VM.Snapshot.Rollback',
  ],
};
/** PVEAdmin: everything but the root-only privileges, Permissions.Modify and Mapping.Modify. */
const PVE_ADMIN = PVE9.all.filter(
  (p) => !['Permissions.Modify', 'Realm.Allocate', 'Sys.AccessNetwork', 'Sys.Incoming', 'Sys.Modify', 'Sys.PowerMgmt', 'Mapping.Modify'].includes(p),
);

type Permissions = Record<string, Record<string, number>>;

async function permissionsOf(account: { userid: string; password: string }, params: Record<string, string> = {}): Promise<Permissions> {
  const res = await call(lab, 'GET', '/access/permissions', { auth: await login(lab, account.userid, account.password), params });
  expect(res.status).toBe(200);
  return res.body.data as Permissions;
}

const keys = (privileges: Record<string, number> | undefined): string[] => Object.keys(privileges ?? {}).sort();

describe('lab API permissions as PVE reports them', () => {
  it("gives a pool's guests the pool's privileges with the propagation flag 0, and the pool path its ACL's flag", async () => {
    const { user } = lab.ready.accounts;
    const perms = await permissionsOf(user);
    expect(perms['/vms/100']).toEqual(Object.fromEntries(PVE9.PVEVMUser.map((p) => [p, 0])));
    expect(perms['/pool/students']).toEqual(Object.fromEntries(PVE9.PVEVMUser.map((p) => [p, 1])));
    expect(Object.keys(perms).sort()).toEqual(['/pool/students', ...user.vmids.map((vmid) => `/vms/${vmid}`)].sort());
    const onePath = await permissionsOf(user, { path: '/vms/110' });
    expect(onePath).toEqual({ '/vms/110': {} });
  });

  it("lists exactly PVE 9's privileges for each seeded account's role", async () => {
    const { root, admin, tfa } = lab.ready.accounts;
    const rootPerms = await permissionsOf(root);
    expect(rootPerms['/']).toEqual(Object.fromEntries(PVE9.all.map((p) => [p, 1])));
    const adminPerms = await permissionsOf(admin);
    expect(keys(adminPerms['/'])).toEqual(PVE_ADMIN);
    expect(keys(adminPerms['/vms/100'])).toEqual(PVE_ADMIN);
    expect(Object.values(adminPerms['/vms/100'] ?? {}).every((flag) => flag === 1)).toBe(true);
    const tfaAuth = await call(lab, 'POST', '/access/ticket', { params: { username: tfa.userid, password: tfa.password } });
    const partial = (tfaAuth.body.data as { ticket: string }).ticket;
    const full = await call(lab, 'POST', '/access/ticket', {
      params: { username: tfa.userid, 'tfa-challenge': partial, password: `totp:${totp(tfa.totpSecret)}` },
    });
    const tfaTicket = full.body.data as { ticket: string };
    const auditor = (await call(lab, 'GET', '/access/permissions', { auth: { ticket: tfaTicket.ticket } })).body.data as Permissions;
    expect(keys(auditor['/'])).toEqual(PVE9.PVEAuditor);
  });

  it('builds cap from the area roots and ACL paths, pool paths counting for guests, every value 1', async () => {
    const { user, admin } = lab.ready.accounts;
    const student = await login(lab, user.userid, user.password);
    expect(student.cap).toEqual({
      vms: Object.fromEntries(PVE9.PVEVMUser.map((p) => [p, 1])),
      access: {},
      storage: {},
      nodes: {},
      sdn: {},
      dc: {},
      mapping: {},
    });
    const labadmin = await login(lab, admin.userid, admin.password);
    expect(keys(labadmin.cap.dc)).toEqual(['SDN.Allocate', 'SDN.Audit', 'SDN.Use', 'Sys.Audit']);
    expect(keys(labadmin.cap.access)).toEqual(['Group.Allocate', 'User.Modify']);
    expect(keys(labadmin.cap.mapping)).toEqual(['Mapping.Audit', 'Mapping.Use']);
  });

  it("answers another user's permissions only with Sys.Audit on /access", async () => {
    const { user, admin, token } = lab.ready.accounts;
    const studentAuth = await login(lab, user.userid, user.password);
    const refused = await call(lab, 'GET', '/access/permissions', { auth: studentAuth, params: { userid: admin.userid } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Permission check failed (/access, Sys.Audit)\n');
    const byToken = await call(lab, 'GET', '/access/permissions', { auth: { token: token.value }, params: { userid: user.userid, path: '/vms/101' } });
    expect(keys((byToken.body.data as Permissions)['/vms/101'])).toEqual(PVE9.PVEVMUser);
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
    expect(stale.body.message).toContain('checksum mismatch (file change by other user?)');
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
