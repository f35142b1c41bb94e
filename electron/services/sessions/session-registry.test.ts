import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostKeyQuestion, ProfileFields } from '../../../shared/domain/connections';
import { EventHub } from '../ipc';
import { silentLogger } from '../log';
import { ProfileSecrets, ProfileStore } from '../profiles';
import type { SecretStore } from '../secrets';
import { KnownHostsStore, SshPool, type SshTarget } from '../ssh';
import { HostKeyQuestions } from './host-key-questions';
import { SessionRegistry } from './session-registry';

/** Records the targets the registry asks for; it opens nothing. */
class RecordingPool extends SshPool {
  readonly asked: Array<{ node: string; target: SshTarget }> = [];
  override session(...args: Parameters<SshPool['session']>): ReturnType<SshPool['session']> {
    this.asked.push({ node: args[0].node, target: args[1] });
    return super.session(...args);
  }
}

const noSecrets: SecretStore = {
  backend: { kind: 'keychain', detail: 'none (test)' },
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(false),
  has: () => Promise.resolve(false),
  deleteAll: () => Promise.resolve(0),
};

const fields: ProfileFields = {
  name: 'Institute',
  endpoints: [{ host: '127.0.0.1', port: 1, trust: { mode: 'system' } }],
  auth: { kind: 'password', username: 'alice', realm: 'pve' },
  ssh: {
    user: 'root',
    port: 22,
    auth: { method: 'agent' },
    nodes: { pve2: { host: '127.0.0.2', port: 2222, user: 'admin' } },
    jumpHost: { host: '127.0.0.3', port: 22, user: 'hop', auth: { method: 'agent' } },
  },
  clipboardSharing: true,
};

describe('the session registry: SSH to a node of a cluster, and the host-key question naming who asked', () => {
  let configDir: string;
  let registry: SessionRegistry;
  let pool: RecordingPool;
  let profileId: string;
  const questions: HostKeyQuestion[] = [];

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'pve-desk-sessions-'));
    const events = new EventHub();
    events.attach((event, payload) => {
      if (event === 'connections.hostKeyQuestion') questions.push(payload as HostKeyQuestion);
    });
    const knownHosts = new KnownHostsStore(configDir, silentLogger);
    const store = new ProfileStore(configDir, silentLogger);
    profileId = (await store.save(undefined, fields))?.id ?? '';
    pool = new RecordingPool({
      knownHosts,
      secrets: noSecrets,
      logger: silentLogger,
      env: {},
      confirmHostKey: (question) => registry.confirmHostKey(question),
    });
    registry = new SessionRegistry({
      profiles: store,
      secrets: new ProfileSecrets(noSecrets),
      knownHosts,
      sshPool: pool,
      hostKeyQuestions: new HostKeyQuestions(events, 50),
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("reaches a node at its override, through the profile's jump host", async () => {
    await registry.ssh(profileId, 'pve2');
    expect(pool.asked).toEqual([
      { node: 'jump:127.0.0.3:22', target: expect.objectContaining({ host: '127.0.0.3', port: 22, username: 'hop' }) as unknown },
      { node: 'pve2', target: expect.objectContaining({ host: '127.0.0.2', port: 2222, username: 'admin' }) as unknown },
    ]);
  });

  it('asks about an unknown host key naming the profile and node, and refuses it when nobody answers', async () => {
    await registry.ssh(profileId, 'pve2');
    const accepted = await registry.confirmHostKey({ host: '127.0.0.2', port: 2222, fingerprint: 'SHA256:abc', keyType: 'ssh-ed25519' });
    expect(accepted).toBe(false);
    expect(questions.at(-1)).toMatchObject({ profileName: 'Institute', node: 'pve2', host: '127.0.0.2', port: 2222 });
    await registry.confirmHostKey({ host: '127.0.0.3', port: 22, fingerprint: 'SHA256:def', keyType: 'ssh-ed25519' });
    expect(questions.at(-1)).toMatchObject({ profileName: 'Institute', node: 'pve2 (jump host)' });
  });

  it('refuses SSH for a profile that no longer exists', async () => {
    await expect(registry.ssh('00000000-0000-4000-8000-000000000000', 'pve1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
