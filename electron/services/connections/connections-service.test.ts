import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileLimits, type ConnectionProfile, type ProfileFields, type SecretChanges } from '../../../shared/domain/connections';
import { EventHub } from '../ipc';
import { silentLogger } from '../log';
import { FakePve, makeSelfSignedCertificate, type TestCertificate } from '../pve/testing';
import type { SecretStore } from '../secrets';
import { KnownHostsStore, SshError, SshPool, type SshTarget } from '../ssh';
import { ProfileSecrets, ProfileStore, profilesFileName } from '../profiles';
import { HostKeyQuestions, SessionRegistry, type ClientTuning } from '../sessions';
import { ConnectionsService } from './connections-service';

/** Keeps secrets in a Map: the test reads what the service stored and deleted. */
function memorySecretStore(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    backend: { kind: 'keychain', detail: 'memory (test)' },
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => Promise.resolve(void values.set(key, value)),
    delete: (key) => Promise.resolve(values.delete(key)),
    has: (key) => Promise.resolve(values.has(key)),
    deleteAll: (prefix) => {
      const keys = [...values.keys()].filter((key) => key === prefix || key.startsWith(prefix + '/'));
      for (const key of keys) values.delete(key);
      return Promise.resolve(keys.length);
    },
  };
}

/** The connections service over its own profile store and session registry, as the boot wires them. */
function connectionsOver(options: { configDir: string; secrets: SecretStore; sshPool: SshPool; clientTuning?: ClientTuning }): {
  service: ConnectionsService;
  sessions: SessionRegistry;
} {
  const events = new EventHub();
  const store = new ProfileStore(options.configDir, silentLogger);
  const secrets = new ProfileSecrets(options.secrets);
  const sessions = new SessionRegistry({
    profiles: store,
    secrets,
    knownHosts: new KnownHostsStore(options.configDir, silentLogger),
    sshPool: options.sshPool,
    hostKeyQuestions: new HostKeyQuestions(events),
    logger: silentLogger,
    ...(options.clientTuning !== undefined ? { clientTuning: options.clientTuning } : {}),
  });
  return { service: new ConnectionsService({ store, secrets, sessions, events, logger: silentLogger }), sessions };
}

/** Records the SSH targets the service asks for; the sessions then fail before any traffic (no agent, no key). */
class RecordingPool extends SshPool {
  readonly targets: SshTarget[] = [];
  override session(...args: Parameters<SshPool['session']>): ReturnType<SshPool['session']> {
    this.targets.push(args[1]);
    return super.session(...args);
  }
}

const password = 'alice-password';
const tokenSecret = 'token-secret-0000';

/**
 * A stored secret goes only where, and as whom, it was stored for. The
 * genuine cluster and an impostor are both recording HTTPS servers; every
 * way of pointing a saved profile somewhere else must reach the impostor
 * without the password or token secret.
 */
describe('the connections service and stored secrets', () => {
  let genuine: FakePve;
  let impostor: FakePve;
  let genuineCert: TestCertificate;
  let impostorCert: TestCertificate;
  let configDir: string;
  let secrets: ReturnType<typeof memorySecretStore>;
  let pool: RecordingPool;
  let service: ConnectionsService;
  let sessions: SessionRegistry;

  const endpointOf = (server: FakePve, certificate: TestCertificate) => ({
    host: '127.0.0.1',
    port: server.port,
    trust: { mode: 'pinned' as const, fingerprint: certificate.fingerprint },
  });
  const ssh = (): ProfileFields['ssh'] => ({ user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} });
  const passwordFields = (name: string): ProfileFields => ({
    name,
    endpoints: [endpointOf(genuine, genuineCert)],
    auth: { kind: 'password', username: 'alice', realm: 'pve' },
    ssh: ssh(),
    clipboardSharing: true,
  });
  const tokenFields = (name: string): ProfileFields => ({ ...passwordFields(name), auth: { kind: 'token', tokenId: 'alice@pve!desk' } });
  const saveNew = (fields: ProfileFields, changes: SecretChanges) => service.save(undefined, fields, changes);
  const fieldsOf = ({ id: _id, ...fields }: ConnectionProfile): ProfileFields => fields;

  /** Whatever reached a server carrying a secret: a password form field, or a token header. */
  const leaked = (server: FakePve) =>
    server.requests.filter((request) => request.form.get('password') === password || (request.headers.authorization ?? '').includes(tokenSecret));

  beforeAll(async () => {
    genuineCert = makeSelfSignedCertificate('pve1.test');
    impostorCert = makeSelfSignedCertificate('impostor.test');
    genuine = await new FakePve(genuineCert).start();
    impostor = await new FakePve(impostorCert).start();
    // The impostor knows the account names and would accept the real secrets, as a phishing server would.
    configDir = mkdtempSync(join(tmpdir(), 'pve-desk-connections-'));
    secrets = memorySecretStore();
    const knownHosts = new KnownHostsStore(configDir, silentLogger);
    pool = new RecordingPool({ knownHosts, secrets, logger: silentLogger, env: {}, confirmHostKey: () => Promise.resolve(false) });
    ({ service, sessions } = connectionsOver({ configDir, secrets, sshPool: pool, clientTuning: { timeoutMs: 3_000, connectTimeoutMs: 1_000 } }));
  });

  afterAll(async () => {
    await sessions?.close();
    await genuine?.stop();
    await impostor?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('uses the stored password for the profile as it was saved, and keeps it through a rename', async () => {
    const saved = await saveNew(passwordFields('Genuine'), { password });
    expect((await service.test(saved.id, fieldsOf(saved), {})).kind).toBe('ok');
    const renamed = await service.save(saved.id, { ...fieldsOf(saved), name: 'Genuine (renamed)' }, {});
    expect(renamed.stored.password).toBe(true);
    expect((await service.connect(saved.id, undefined, false)).kind).toBe('connected');
    expect(leaked(genuine).length).toBeGreaterThan(0);
  });

  it('hands other features the client of a connected profile through the session registry, and nothing once disconnected', async () => {
    const saved = await saveNew(passwordFields('Registry'), { password });
    expect(() => sessions.client(saved.id)).toThrow(/not logged in/);
    expect(await service.connect(saved.id, undefined, false)).toMatchObject({ kind: 'connected' });
    expect(await sessions.connected()).toContainEqual(expect.objectContaining({ profileId: saved.id, name: 'Registry', userid: 'alice@pve' }));
    expect((await sessions.client(saved.id).getVersion()).version).toBeTruthy();
    await service.disconnect(saved.id);
    expect((await sessions.connected()).map((cluster) => cluster.profileId)).not.toContain(saved.id);
    expect(() => sessions.client(saved.id)).toThrow(/not logged in/);
  });

  it('test: a saved id with another endpoint, or another pin on the same endpoint, sends no stored secret', async () => {
    const saved = await saveNew(passwordFields('Test elsewhere'), { password });
    const elsewhere = { ...fieldsOf(saved), endpoints: [endpointOf(impostor, impostorCert)] };
    await expect(service.test(saved.id, elsewhere, {})).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const token = await saveNew(tokenFields('Token elsewhere'), { tokenSecret });
    await expect(service.test(token.id, { ...fieldsOf(token), endpoints: [endpointOf(impostor, impostorCert)] }, {})).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
    // The saved address now answers with another certificate (a server in the middle): pinning that one in the test is not the saved trust.
    const intercepted = await saveNew({ ...passwordFields('Test repinned'), endpoints: [endpointOf(impostor, genuineCert)] }, { password });
    await expect(service.test(intercepted.id, { ...fieldsOf(intercepted), endpoints: [endpointOf(impostor, impostorCert)] }, {})).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
    const otherAccount = { ...fieldsOf(saved), auth: { kind: 'password' as const, username: 'tfa', realm: 'pve' } };
    await expect(service.test(saved.id, otherAccount, {})).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(leaked(impostor)).toEqual([]);
    expect(genuine.requests.filter((request) => request.form.get('username') === 'tfa@pve')).toEqual([]);
  });

  it('save then connect: a new endpoint, a new pin, another user or realm, or another token drops the stored secret', async () => {
    // SSH secrets follow the endpoints (node addresses come from the cluster they reach), not the PVE account.
    const moves: Array<[string, (fields: ProfileFields) => ProfileFields, { sshKept: boolean }]> = [
      ['endpoint', (fields) => ({ ...fields, endpoints: [endpointOf(impostor, impostorCert)] }), { sshKept: false }],
      ['extra endpoint', (fields) => ({ ...fields, endpoints: [endpointOf(impostor, impostorCert), ...fields.endpoints] }), { sshKept: false }],
      ['user', (fields) => ({ ...fields, auth: { kind: 'password', username: 'tfa', realm: 'pve' } }), { sshKept: true }],
      ['realm', (fields) => ({ ...fields, auth: { kind: 'password', username: 'alice', realm: 'pam' } }), { sshKept: true }],
    ];
    for (const [what, move, { sshKept }] of moves) {
      const saved = await saveNew(passwordFields(`Moved ${what}`), { password, sshPassword: 'ssh-secret' });
      const moved = await service.save(saved.id, move(fieldsOf(saved)), {});
      expect(moved.stored, what).toMatchObject({ password: false, sshPassword: sshKept });
      expect(await service.connect(saved.id, undefined, false), what).toEqual({ kind: 'password-required' });
    }

    const token = await saveNew(tokenFields('Token moved'), { tokenSecret });
    await service.save(token.id, { ...fieldsOf(token), auth: { kind: 'token', tokenId: 'alice@pve!other' } }, {});
    await expect(service.connect(token.id, undefined, false)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/No secret is stored/) as unknown,
    });
    expect(leaked(impostor)).toEqual([]);
    expect(genuine.requests.filter((request) => request.headers.authorization === 'PVEAPIToken=alice@pve!other=' + tokenSecret)).toEqual([]);
  });

  it('save: a changed pin on the same address drops the secret; a secret typed in the same save is kept', async () => {
    // The profile points at an address where a server in the middle now answers with its own certificate.
    const saved = await saveNew({ ...passwordFields('Pinned elsewhere'), endpoints: [{ ...endpointOf(impostor, genuineCert) }] }, { password });
    await expect(service.connect(saved.id, undefined, false)).rejects.toMatchObject({ code: 'TLS_MISMATCH' });
    const repinned = await service.save(saved.id, { ...fieldsOf(saved), endpoints: [endpointOf(impostor, impostorCert)] }, {});
    expect(repinned.stored.password).toBe(false);
    expect(await service.connect(saved.id, undefined, false)).toEqual({ kind: 'password-required' });
    expect(leaked(impostor)).toEqual([]);

    const retyped = await service.save(saved.id, { ...fieldsOf(saved), endpoints: [endpointOf(genuine, genuineCert)] }, { password });
    expect(retyped.stored.password).toBe(true);
  });

  it('drops SSH secrets when the SSH account, key, overrides or jump host change', async () => {
    const saved = await saveNew({ ...passwordFields('SSH moved'), ssh: { ...ssh(), auth: { method: 'password' } } }, { password, sshPassword: 'ssh-secret' });
    const moved = await service.save(
      saved.id,
      { ...fieldsOf(saved), ssh: { ...fieldsOf(saved).ssh, jumpHost: { host: 'bastion.example', port: 22, user: 'root', auth: { method: 'agent' } } } },
      {},
    );
    expect(moved.stored).toMatchObject({ password: true, sshPassword: false });
  });

  it('trusts only a certificate question it asked, for that profile, once', async () => {
    const saved = await saveNew(
      { ...passwordFields('Unknown certificate'), endpoints: [{ host: '127.0.0.1', port: genuine.port, trust: { mode: 'system' } }] },
      { password },
    );
    const other = await saveNew(passwordFields('Other profile'), {});
    const question = await service.connect(saved.id, undefined, false);
    if (question.kind !== 'certificate') throw new Error(`expected a certificate question, got ${question.kind}`);
    expect(question.questionId).toMatch(/^[0-9a-f]{32}$/);

    const refusal = { code: 'NOT_FOUND', message: expect.stringMatching(/question has expired/) as unknown };
    await expect(service.trustCertificate(saved.id, 'f'.repeat(32))).rejects.toMatchObject(refusal);
    await expect(service.trustCertificate(other.id, question.questionId)).rejects.toMatchObject(refusal);
    // Refused for the other profile, the question is spent: ask again.
    const again = await service.connect(saved.id, undefined, false);
    if (again.kind !== 'certificate') throw new Error(`expected a certificate question, got ${again.kind}`);
    const trusted = await service.trustCertificate(saved.id, again.questionId);
    expect(trusted.endpoints[0]?.trust).toEqual({ mode: 'pinned', fingerprint: genuineCert.fingerprint });
    expect(trusted.stored.password).toBe(true);
    await expect(service.trustCertificate(saved.id, again.questionId)).rejects.toMatchObject(refusal);
    expect((await service.connect(saved.id, undefined, false)).kind).toBe('connected');
  });

  it('logs in to the jump host with its own method and secrets, never with the target’s', async () => {
    const saved = await saveNew(
      {
        ...passwordFields('Jump'),
        ssh: {
          ...ssh(),
          auth: { method: 'password' },
          jumpHost: { host: '127.0.0.1', port: 1, user: 'hop', auth: { method: 'key-file', privateKeyPath: join(configDir, 'no-such-key') } },
        },
      },
      { sshPassword: 'node-password', jumpPassphrase: 'jump-passphrase' },
    );
    pool.targets.length = 0;
    // A described SSH failure (the router maps it), not a bug.
    await expect(service.testSsh(saved.id, 'pve1')).rejects.toBeInstanceOf(SshError);
    const [jump, node] = pool.targets;
    expect(jump).toMatchObject({ username: 'hop', auth: { method: 'key-file', passphraseSecret: `ssh/${saved.id}/jump-passphrase` } });
    expect(node).toMatchObject({ username: 'root', auth: { method: 'password', passwordSecret: `ssh/${saved.id}/password` } });
    await service.delete(saved.id);
    expect([...secrets.values.keys()].filter((key) => key.includes(saved.id))).toEqual([]);
  });

  it('imports only after a review: shows what each profile sets or changes, applies the chosen ones, drops pins on request', async () => {
    const existing = await saveNew(passwordFields('Branch office'), { password });
    const exportFile = (profiles: ProfileFields[]) => JSON.stringify({ format: 'pve-desk.connections', version: 1, profiles });
    const hijacked = { ...passwordFields('branch OFFICE'), endpoints: [endpointOf(impostor, impostorCert)] };
    const plan = await service.previewImport(exportFile([hijacked, passwordFields('New lab'), passwordFields('new lab')]));
    expect(plan.planId).toMatch(/^[0-9a-f]{32}$/);
    expect(plan.entries).toEqual([
      { index: 0, action: 'replace', fields: hijacked, changes: ['endpoints'], pinnedFromFile: 1 },
      { index: 1, action: 'add', fields: passwordFields('New lab'), changes: [], pinnedFromFile: 1 },
    ]);
    expect(plan.duplicates).toEqual(['new lab']);
    // The preview changed nothing.
    const before = (await service.list()).profiles;
    expect(before.find((profile) => profile.id === existing.id)).toMatchObject({ endpoints: existing.endpoints, stored: { password: true } });
    expect(before.some((profile) => profile.name === 'New lab')).toBe(false);

    await expect(service.applyImport('0'.repeat(32), [{ index: 0, keepPins: true }])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await service.applyImport(plan.planId, [{ index: 0, keepPins: false }])).toEqual({ imported: [], replaced: ['branch OFFICE'], skipped: [] });
    await expect(service.applyImport(plan.planId, [{ index: 1, keepPins: true }])).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const after = (await service.list()).profiles;
    const replaced = after.find((profile) => profile.id === existing.id);
    expect(replaced?.endpoints).toEqual([{ host: '127.0.0.1', port: impostor.port, trust: { mode: 'system' } }]);
    expect(replaced?.stored.password).toBe(false);
    expect(after.some((profile) => profile.name === 'New lab')).toBe(false);
    expect(leaked(impostor)).toEqual([]);
  });

  it('keeps at most 500 profiles, whether saved one by one or imported', async () => {
    const count = (await service.list()).profiles.length;
    const many = Array.from({ length: profileLimits.profiles - count + 1 }, (_, i) => passwordFields(`Bulk ${i}`));
    const plan = await service.previewImport(JSON.stringify({ format: 'pve-desk.connections', version: 1, profiles: many }));
    const everything = plan.entries.map((entry) => ({ index: entry.index, keepPins: true }));
    await expect(service.applyImport(plan.planId, everything)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/at most 500/) as unknown,
    });
    expect((await service.list()).profiles).toHaveLength(count);

    const fits = await service.previewImport(JSON.stringify({ format: 'pve-desk.connections', version: 1, profiles: many.slice(1) }));
    await service.applyImport(
      fits.planId,
      fits.entries.map((entry) => ({ index: entry.index, keepPins: true })),
    );
    expect((await service.list()).profiles).toHaveLength(profileLimits.profiles);
    await expect(saveNew(passwordFields('One too many'), {})).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('reads a profile file written before jump hosts had their own login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-desk-old-profiles-'));
    try {
      const old = {
        ...passwordFields('Old'),
        id: '0b5c6f1e-8d3a-4c2b-9f1e-2a3b4c5d6e7f',
        ssh: { ...ssh(), jumpHost: { host: 'bastion.example', port: 22, user: 'root' } },
      };
      writeFileSync(join(dir, profilesFileName), JSON.stringify({ version: 1, profiles: [old] }));
      const reader = connectionsOver({ configDir: dir, secrets: memorySecretStore(), sshPool: pool });
      const [profile] = (await reader.service.list()).profiles;
      expect(profile?.ssh.jumpHost).toEqual({ host: 'bastion.example', port: 22, user: 'root', auth: { method: 'agent' } });
      await reader.sessions.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
