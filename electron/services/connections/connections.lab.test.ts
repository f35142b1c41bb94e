import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectionList, HostKeyQuestion, LoginOutcome, ProfileFields, ProfileView, RealmsOutcome, TestOutcome } from '../../../shared/domain/connections';
import type { MethodInput, MethodName, MethodResult } from '../../../shared/ipc/contract';
import { IpcError, type IpcEnvelope } from '../../../shared/ipc/errors';
import { call, login, startLab, type RunningLab } from '../../../lab/api/lab-harness';
import { createServices, type Services } from '../create-services';
import { createIpcRouter, type IpcRouter } from '../ipc';
import { createLogger } from '../log';
import { seedLabProfiles } from './lab-profiles';
import { hasPrivilege } from '../../../shared/domain/permissions';
import { createKeyFileEncryptor } from '../secrets';
import { loadKeytar } from '../secrets';

const keychainService = 'pve-desk-itest';
const renewIntervalMs = 1_500;
const ticketLifetimeSeconds = 5;

/**
 * The connections service against the lab cluster, called through the real
 * IPC router exactly as the renderer calls it. Every answer and event that
 * leaves the main process is recorded, to prove at the end that no secret did.
 */
describe('connections against the lab cluster', () => {
  let lab: RunningLab;
  let services: Services;
  let router: IpcRouter<null>;
  let configDir: string;
  const outbound: string[] = [];

  async function ipc<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
    const envelope: IpcEnvelope = await router.handle(null, method, input);
    outbound.push(JSON.stringify(envelope));
    if (!envelope.ok) throw new IpcError(envelope.error.code, envelope.error.message);
    return envelope.result as MethodResult<M>;
  }

  function endpointOf(url: string, fingerprint?: string): ProfileFields['endpoints'][number] {
    const { hostname, port } = new URL(url);
    return { host: hostname, port: Number(port), trust: fingerprint === undefined ? { mode: 'system' } : { mode: 'pinned', fingerprint } };
  }

  const cluster = () => {
    const found = lab.ready.clusters[0];
    if (found === undefined) throw new Error('the lab has no cluster');
    return found;
  };
  const nodeApi = (name: string) => cluster().nodes.find((node) => node.name === name)?.api ?? '';
  /** Each node has its own certificate, as on PVE. */
  const nodeFingerprint = (name: string) => cluster().nodes.find((node) => node.name === name)?.fingerprint ?? '';
  const pinnedCluster = () => [endpointOf(cluster().api, cluster().fingerprint)];

  function passwordProfile(name: string, userid: string, endpoints = pinnedCluster()): ProfileFields {
    const [username = '', realm = ''] = userid.split('@');
    return {
      name,
      endpoints,
      auth: { kind: 'password', username, realm },
      ssh: { user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} },
      clipboardSharing: true,
    };
  }

  function totp(secret: string): string {
    return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
  }

  async function connected(outcome: LoginOutcome): Promise<ProfileView> {
    if (outcome.kind !== 'connected') throw new Error(`expected connected, got ${outcome.kind}`);
    return outcome.profile;
  }

  beforeAll(async () => {
    lab = await startLab(['--onboot', '0', '--ticket-lifetime', String(ticketLifetimeSeconds), '--clock-control']);
    configDir = mkdtempSync(join(tmpdir(), 'pve-desk-connections-'));
    services = await createServices({
      host: 'web',
      configDir,
      appName: 'PVE Desk',
      appVersion: '0.0.0-test',
      logger: createLogger({ file: join(configDir, 'logs', 'web-host.log'), echo: false, minLevel: 'debug' }),
      encryptor: createKeyFileEncryptor({ keyFile: join(mkdtempSync(join(tmpdir(), 'pve-desk-key-')), 'secrets.key') }),
      keychainService,
      clientTuning: { renewIntervalMs, timeoutMs: 5_000, connectTimeoutMs: 2_000 },
      heartbeatMs: 1_000,
    });
    services.events.attach((event, payload) => outbound.push(JSON.stringify({ event, payload })));
    router = createIpcRouter({ handlers: services.handlers, senderPolicy: () => null, callerOf: () => 'window-test', logger: createLogger({ echo: false }) });
  });

  afterAll(async () => {
    await services?.close();
    await lab?.stop();
  });

  it('asks about the unknown certificate before anything else, then lists the realms once it is pinned', async () => {
    const unknown: RealmsOutcome = await ipc('connections.realms', { endpoint: endpointOf(cluster().api) });
    expect(unknown.kind).toBe('certificate');
    if (unknown.kind !== 'certificate') return;
    expect(unknown.certificate.fingerprint256).toBe(cluster().fingerprint);
    expect(unknown.certificate.subject).toContain('CN=');
    expect(unknown.certificate.validTo > new Date().toISOString()).toBe(true);

    const known = await ipc('connections.realms', { endpoint: endpointOf(cluster().api, unknown.certificate.fingerprint256) });
    expect(known.kind === 'realms' && known.realms.map((realm) => realm.realm).sort()).toEqual(['pam', 'pve']);
  });

  it('tests, saves and connects a password profile, keeping the password in the keychain', async () => {
    const { admin } = lab.ready.accounts;
    const fields = passwordProfile('Institute lab', admin.userid);
    const tested: TestOutcome = await ipc('connections.test', { fields, secrets: { password: admin.password } });
    expect(tested).toMatchObject({ kind: 'ok', userid: admin.userid });

    const saved = await ipc('connections.save', { fields, secrets: { password: admin.password } });
    expect(saved.stored).toEqual({ password: true, tokenSecret: false, sshPassphrase: false, sshPassword: false, jumpPassphrase: false, jumpPassword: false });
    const keytar = await loadKeytar();
    expect(await keytar.getPassword(keychainService, `profile/${saved.id}/password`)).toBe(admin.password);

    const profile = await connected(await ipc('connections.connect', { id: saved.id }));
    expect(profile.state).toMatchObject({ status: 'connected', userid: admin.userid, clusterName: 'lab1' });
    const list: ConnectionList = await ipc('connections.list', {});
    expect(list.secretBackend.kind).toBe('keychain');
    expect(list.profiles.find((p) => p.id === saved.id)?.state.status).toBe('connected');
  });

  it('tells what each user may do: the admin everywhere, the end user on its pool only', async () => {
    const { admin, user } = lab.ready.accounts;
    const adminProfile = (await ipc('connections.list', {})).profiles.find((p) => p.name === 'Institute lab');
    const adminPermissions = await ipc('connections.permissions', { id: adminProfile?.id ?? '' });
    expect(hasPrivilege(adminPermissions, '/vms/100', 'VM.PowerMgmt')).toBe(true);

    const saved = await ipc('connections.save', { fields: passwordProfile('End user', user.userid), secrets: { password: user.password } });
    await connected(await ipc('connections.connect', { id: saved.id }));
    const userPermissions = await ipc('connections.permissions', { id: saved.id });
    expect(hasPrivilege(userPermissions, `/pool/${user.pool}`, 'VM.Console')).toBe(true);
    expect(hasPrivilege(userPermissions, '/', 'VM.PowerMgmt')).toBe(false);
    expect(hasPrivilege(userPermissions, '/nodes/pve1', 'Sys.Audit')).toBe(false);
    expect(admin.userid).not.toBe(user.userid);
  });

  it('refuses a wrong password with a message that says what to do', async () => {
    const saved = await ipc('connections.save', { fields: passwordProfile('Wrong password', lab.ready.accounts.admin.userid), secrets: {} });
    expect(await ipc('connections.connect', { id: saved.id })).toEqual({ kind: 'password-required' });
    await expect(ipc('connections.connect', { id: saved.id, password: 'not-the-password', remember: true })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/password/i) as unknown,
    });
    const after = (await ipc('connections.list', {})).profiles.find((p) => p.id === saved.id);
    expect(after?.state.status).toBe('login-required');
    expect(after?.stored.password).toBe(false);
  });

  it('logs in with TOTP after a wrong code, and with a recovery key', async () => {
    const { tfa } = lab.ready.accounts;
    const saved = await ipc('connections.save', { fields: passwordProfile('Two factors', tfa.userid), secrets: {} });
    const first = await ipc('connections.connect', { id: saved.id, password: tfa.password });
    expect(first).toEqual({ kind: 'second-factor', kinds: ['totp', 'recovery'] });
    await expect(ipc('connections.secondFactor', { id: saved.id, answer: { kind: 'totp', code: '000000' } })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const profile = await connected(await ipc('connections.secondFactor', { id: saved.id, answer: { kind: 'totp', code: totp(tfa.totpSecret) } }));
    expect(profile.state).toMatchObject({ status: 'connected', userid: tfa.userid });

    await ipc('connections.disconnect', { id: saved.id });
    expect((await ipc('connections.connect', { id: saved.id, password: tfa.password })).kind).toBe('second-factor');
    const recoveryKey = tfa.recoveryKeys[0] ?? '';
    await connected(await ipc('connections.secondFactor', { id: saved.id, answer: { kind: 'recovery', key: recoveryKey } }));
  });

  it('logs in with an API token, and says so when the token was revoked', async () => {
    const root = await login(lab, 'root@pam', lab.ready.accounts.root.password);
    const created = await call(lab, 'POST', '/access/users/root@pam/token/desk', { auth: root, params: { privsep: 0 } });
    const secret = (created.body.data as { value: string }).value;
    const fields: ProfileFields = { ...passwordProfile('Token', 'root@pam'), auth: { kind: 'token', tokenId: 'root@pam!desk' } };
    const saved = await ipc('connections.save', { fields, secrets: { tokenSecret: secret } });
    const profile = await connected(await ipc('connections.connect', { id: saved.id }));
    expect(profile.state).toMatchObject({ status: 'connected', userid: 'root@pam!desk' });
    expect(await services.sessions.client(saved.id).getClusterResources({ type: 'node' })).toHaveLength(3);

    await call(lab, 'DELETE', '/access/users/root@pam/token/desk', { auth: root });
    await ipc('connections.disconnect', { id: saved.id });
    await expect(ipc('connections.connect', { id: saved.id })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/token/i) as unknown,
    });
  });

  it('keeps a session through several ticket lifetimes without a failed request', async () => {
    const { admin } = lab.ready.accounts;
    const saved = await ipc('connections.save', { fields: passwordProfile('Long session', admin.userid), secrets: { password: admin.password } });
    // Time is moved, not waited for: the client's renewal and heartbeat timers on a fake clock (sockets keep
    // the real one), the lab's ticket clock by the same steps.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await connected(await ipc('connections.connect', { id: saved.id }));
    const client = services.sessions.client(saved.id);
    const renewals: string[] = [];
    const stop = client.onEvent((event) => renewals.push(event.type));
    const lifetimes = 3;
    const stepMs = 500;
    let requests = 0;
    try {
      for (let elapsed = 0; elapsed <= lifetimes * ticketLifetimeSeconds * 1000 + 1_000; elapsed += stepMs) {
        expect((await client.getNodes()).length).toBe(3);
        requests++;
        await lab.advanceClock(stepMs / 1000);
        await vi.advanceTimersByTimeAsync(stepMs);
      }
      await vi.waitFor(() => expect(renewals.filter((type) => type === 'session-renewed').length).toBeGreaterThanOrEqual(lifetimes));
    } finally {
      vi.useRealTimers();
      stop();
    }
    expect(requests).toBeGreaterThan(lifetimes * 4);
    expect(renewals.filter((type) => type === 'session-renewed').length).toBeGreaterThanOrEqual(lifetimes);
    expect(renewals).not.toContain('relogged-in');
    expect(renewals).not.toContain('session-lost');
    expect((await ipc('connections.list', {})).profiles.find((p) => p.id === saved.id)?.state.status).toBe('connected');
  }, 60_000);

  it("learns the other nodes' certificates from the trusted one, keeps the password, and fails over without a question", async () => {
    const { admin } = lab.ready.accounts;
    // Only pve1 was trusted by the user; pve2 and pve3 present certificates no system CA vouches for.
    const endpoints = [endpointOf(nodeApi('pve1'), nodeFingerprint('pve1')), endpointOf(nodeApi('pve2')), endpointOf(nodeApi('pve3'))];
    const fields = passwordProfile('Failover', admin.userid, endpoints);
    const saved = await ipc('connections.save', { fields, secrets: { password: admin.password } });
    const profile = await connected(await ipc('connections.connect', { id: saved.id }));
    expect(profile.state.endpoint).toBe(new URL(nodeApi('pve1')).host);
    const learned = { mode: 'pinned', fingerprint: nodeFingerprint('pve2') };
    expect(profile.endpoints.map((endpoint) => endpoint.trust)).toEqual([
      endpoints[0]?.trust,
      learned,
      { mode: 'pinned', fingerprint: nodeFingerprint('pve3') },
    ]);
    // Proven by the cluster, the learned pins keep the stored password (and the session).
    expect(profile.stored.password).toBe(true);
    expect(profile.state.status).toBe('connected');

    const root = { token: lab.ready.accounts.token.value };
    await call(lab, 'POST', '/lab/faults', { auth: root, params: { node: 'pve1', offline: 1 } });
    try {
      const client = services.sessions.client(saved.id);
      expect((await client.getClusterResources({ type: 'vm' })).length).toBeGreaterThan(10);
      expect(client.activeEndpoint.port).toBe(Number(new URL(nodeApi('pve2')).port));
      await expect
        .poll(async () => (await ipc('connections.list', {})).profiles.find((p) => p.id === saved.id)?.state.endpoint)
        .toBe(new URL(nodeApi('pve2')).host);
    } finally {
      await call(lab, 'POST', '/lab/faults', { auth: root, params: { node: 'pve1', offline: 0 } });
    }

    // Editing a connected profile ends its session: the old login must not outlive new settings.
    const { id: _id, state: _state, stored: _stored, ...learnedFields } = profile;
    const edited = await ipc('connections.save', { id: saved.id, fields: { ...learnedFields, name: 'Failover (edited)' }, secrets: {} });
    expect(edited.state.status).toBe('disconnected');
    expect(edited.stored.password).toBe(true);
    expect(() => services.sessions.client(saved.id)).toThrow(/not logged in/);
    // A pin the user changes is theirs, not the cluster's: the password is asked for again.
    const repinned = edited.endpoints.map((endpoint, i) => (i === 1 ? endpointOf(nodeApi('pve2'), nodeFingerprint('pve3')) : endpoint));
    const changed = await ipc('connections.save', { id: saved.id, fields: { ...learnedFields, endpoints: repinned }, secrets: {} });
    expect(changed.stored.password).toBe(false);
  });

  it('keeps a node whose certificate changed a mismatch: never re-learned, failover stops there', async () => {
    const { admin } = lab.ready.accounts;
    const stale = 'CD:'.repeat(31) + 'CD';
    const fields = passwordProfile('Changed node certificate', admin.userid, [
      endpointOf(nodeApi('pve1'), nodeFingerprint('pve1')),
      endpointOf(nodeApi('pve2'), stale),
    ]);
    const saved = await ipc('connections.save', { fields, secrets: { password: admin.password } });
    const profile = await connected(await ipc('connections.connect', { id: saved.id }));
    expect(profile.endpoints[1]?.trust).toEqual({ mode: 'pinned', fingerprint: stale });
    const root = { token: lab.ready.accounts.token.value };
    await call(lab, 'POST', '/lab/faults', { auth: root, params: { node: 'pve1', offline: 1 } });
    try {
      await expect(services.sessions.client(saved.id).getClusterResources({ type: 'vm' })).rejects.toMatchObject({
        code: 'TLS_MISMATCH',
        details: { expected: stale, actual: nodeFingerprint('pve2') },
      });
    } finally {
      await call(lab, 'POST', '/lab/faults', { auth: root, params: { node: 'pve1', offline: 0 } });
    }
  });

  it('shows a connected cluster going offline and coming back', async () => {
    const { admin } = lab.ready.accounts;
    const saved = await ipc('connections.save', {
      fields: passwordProfile('Single node', admin.userid, [endpointOf(nodeApi('pve3'), nodeFingerprint('pve3'))]),
      secrets: { password: admin.password },
    });
    await connected(await ipc('connections.connect', { id: saved.id }));
    const statusNow = async () => (await ipc('connections.list', {})).profiles.find((p) => p.id === saved.id)?.state;
    const root = { token: lab.ready.accounts.token.value };
    await call(lab, 'POST', '/lab/faults', { auth: root, params: { node: 'pve3', offline: 1 } });
    try {
      // A heartbeat and its request timeout, stretched on a loaded machine: 15 s was once too short in CI.
      await expect.poll(async () => (await statusNow())?.status, { timeout: 45_000 }).toBe('offline');
      expect((await statusNow())?.error?.code).toBe('UNREACHABLE');
    } finally {
      await call(lab, 'POST', '/lab/faults', { auth: root, params: { node: 'pve3', offline: 0 } });
    }
    await expect.poll(async () => (await statusNow())?.status, { timeout: 45_000 }).toBe('connected');
    expect((await statusNow())?.userid).toBe(admin.userid);
  });

  it('refuses a changed certificate with both fingerprints, and lets the user review and pin the new one', async () => {
    const { admin } = lab.ready.accounts;
    const stale = 'AB:'.repeat(31) + 'AB';
    const saved = await ipc('connections.save', {
      fields: passwordProfile('Renewed certificate', admin.userid, [endpointOf(cluster().api, stale)]),
      secrets: { password: admin.password },
    });
    const refused = ipc('connections.connect', { id: saved.id });
    await expect(refused).rejects.toMatchObject({ code: 'TLS_MISMATCH' });
    expect((await ipc('connections.list', {})).profiles.find((p) => p.id === saved.id)?.state.endpoint).toBe(new URL(cluster().api).host);
    const message = await refused.catch((error: unknown) => (error as Error).message);
    expect(message).toContain(stale);
    expect(message).toContain(cluster().fingerprint);
    expect((await ipc('connections.list', {})).profiles.find((p) => p.id === saved.id)?.state.status).toBe('certificate-problem');

    const review = await ipc('connections.reviewCertificate', { id: saved.id, endpointIndex: 0 });
    expect(review.certificate.fingerprint256).toBe(cluster().fingerprint);
    const trusted = await ipc('connections.trustCertificate', { id: saved.id, questionId: review.questionId });
    expect(trusted.endpoints[0]?.trust).toEqual({ mode: 'pinned', fingerprint: cluster().fingerprint });
    await connected(await ipc('connections.connect', { id: saved.id }));
  });

  it('exports profiles without secrets or ids, and imports them after a review', async () => {
    const exported = await ipc('connections.export', {});
    expect(exported.fileName).toMatch(/^pve-desk-connections-\d{4}-\d{2}-\d{2}\.json$/);
    expect(exported.content).not.toMatch(/"id"/);
    const names = (await ipc('connections.list', {})).profiles.map((p) => p.name);
    const again = await ipc('connections.previewImport', { content: exported.content });
    expect(again.entries.map((entry) => [entry.fields.name, entry.action, entry.changes])).toEqual(names.map((name) => [name, 'replace', []]));

    const renamed = exported.content.replace('"Institute lab"', '"Colleague copy"');
    const plan = await ipc('connections.previewImport', { content: renamed });
    const copyEntry = plan.entries.find((entry) => entry.fields.name === 'Colleague copy');
    expect(copyEntry).toMatchObject({ action: 'add', pinnedFromFile: 1 });
    const imported = await ipc('connections.applyImport', { planId: plan.planId, choices: [{ index: copyEntry?.index ?? -1, keepPins: true }] });
    expect(imported).toEqual({ imported: ['Colleague copy'], replaced: [], skipped: [] });
    const copy = (await ipc('connections.list', {})).profiles.find((p) => p.name === 'Colleague copy');
    expect(copy?.stored.password).toBe(false);
    await expect(ipc('connections.applyImport', { planId: plan.planId, choices: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ipc('connections.previewImport', { content: '{"format":"something else"}' })).rejects.toMatchObject({ code: 'BAD_FILE' });
    await expect(ipc('connections.previewImport', { content: 'not json' })).rejects.toMatchObject({ code: 'BAD_FILE' });
  });

  it('deletes a profile together with its secrets', async () => {
    const saved = await ipc('connections.save', {
      fields: passwordProfile('Short lived', lab.ready.accounts.admin.userid),
      secrets: { password: 'to-be-deleted-1', sshPassword: 'to-be-deleted-2' },
    });
    const keytar = await loadKeytar();
    expect(await keytar.getPassword(keychainService, `ssh/${saved.id}/password`)).toBe('to-be-deleted-2');
    expect(await ipc('connections.delete', { id: saved.id })).toEqual({ deleted: true });
    const left = await keytar.findCredentials(keychainService);
    expect(left.filter((entry) => entry.account.includes(saved.id))).toEqual([]);
    await expect(ipc('connections.connect', { id: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('makes a ready-to-use profile of each lab cluster for `npm start`, once', async () => {
    const readyFile = join(mkdtempSync(join(tmpdir(), 'pve-desk-ready-')), 'ready.json');
    writeFileSync(readyFile, JSON.stringify(lab.ready), { mode: 0o600 });
    expect(await seedLabProfiles(services.connections, readyFile)).toEqual(['Lab cluster lab1']);
    expect(await seedLabProfiles(services.connections, readyFile)).toEqual([]);
    const seeded = (await ipc('connections.list', {})).profiles.find((p) => p.name === 'Lab cluster lab1');
    expect(seeded?.endpoints).toHaveLength(4);
    expect(seeded?.stored.password).toBe(true);
    const profile = await connected(await ipc('connections.connect', { id: seeded?.id ?? '' }));
    expect(profile.state.userid).toBe('root@pam');
  });

  it('asks about an unknown SSH host key, pins it, runs qemu-img on the node, and refuses a changed key', async () => {
    const profile = (await ipc('connections.list', {})).profiles.find((p) => p.name === 'Lab cluster lab1');
    const id = profile?.id ?? '';
    const pve2 = cluster().nodes.find((node) => node.name === 'pve2');
    const questions: HostKeyQuestion[] = [];
    const detach = services.events.attach((event, payload) => {
      if (event !== 'connections.hostKeyQuestion') return;
      const question = payload as HostKeyQuestion;
      questions.push(question);
      void ipc('connections.answerHostKey', { questionId: question.questionId, accept: questions.length > 1 });
    });
    try {
      await expect(ipc('connections.testSsh', { id, node: 'pve2' })).rejects.toMatchObject({ code: 'SSH_HOST_KEY_REFUSED' });
      const result = await ipc('connections.testSsh', { id, node: 'pve2' });
      expect(questions.map((q) => [q.profileName, q.node, q.port, q.fingerprint])).toEqual([
        ['Lab cluster lab1', 'pve2', pve2?.ssh.port, pve2?.ssh.hostKeyFingerprint],
        ['Lab cluster lab1', 'pve2', pve2?.ssh.port, pve2?.ssh.hostKeyFingerprint],
      ]);
      expect(result).toMatchObject({ node: 'pve2', hostKeyFingerprint: pve2?.ssh.hostKeyFingerprint, target: `root@127.0.0.1:${pve2?.ssh.port}` });
      expect(result.qemuImg).toMatch(/^qemu-img version \d+/);
      // Reusing the pooled session asks nothing more.
      await ipc('connections.testSsh', { id, node: 'pve2' });
      expect(questions).toHaveLength(2);

      // The node "was reinstalled": the pinned key no longer matches what it presents.
      await ipc('connections.disconnect', { id });
      const pins = join(configDir, 'ssh-known-hosts.json');
      const stale = 'SHA256:' + 'A'.repeat(43);
      writeFileSync(pins, readFileSync(pins, 'utf8').replace(pve2?.ssh.hostKeyFingerprint ?? '', stale));
      const refused = ipc('connections.testSsh', { id, node: 'pve2' });
      await expect(refused).rejects.toMatchObject({ code: 'SSH_HOST_KEY_MISMATCH' });
      const message = await refused.catch((error: unknown) => (error as Error).message);
      expect(message).toContain(stale);
      expect(message).toContain(pve2?.ssh.hostKeyFingerprint);
      expect(questions).toHaveLength(2);
    } finally {
      detach();
    }
  });

  it('let no secret out: not over IPC, not in the logs, not in the config folder', () => {
    const { accounts } = lab.ready;
    const secrets = [
      accounts.root.password,
      accounts.admin.password,
      accounts.tfa.password,
      accounts.tfa.totpSecret,
      accounts.token.secret,
      'to-be-deleted-1',
      'to-be-deleted-2',
    ];
    // Tickets and CSRF tokens are secrets too; their shapes are known even if their values are not.
    const ticketShapes = [/PVE:[^:\s"]+:[0-9A-F]{8}::/, /PVEAuthCookie/, /"CSRFPreventionToken"/, /[0-9A-F]{8}:[A-Za-z0-9+/]{43}/];
    const files = listFiles(configDir).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.some((file) => file.path.endsWith('connections.json'))).toBe(true);
    expect(files.some((file) => file.path.endsWith('web-host.log') && file.text.includes('connections.connected'))).toBe(true);
    expect(outbound.length).toBeGreaterThan(40);
    const places = [...files.map((file) => ({ where: file.path, text: file.text })), ...outbound.map((text, i) => ({ where: `IPC message ${i}`, text }))];
    for (const { where, text } of places) {
      for (const secret of secrets) expect(text.includes(secret), `${where} holds a secret`).toBe(false);
      for (const shape of ticketShapes) expect(shape.test(text), `${where} holds a ticket or CSRF token`).toBe(false);
    }
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
