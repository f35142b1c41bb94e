import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log';
import { createKeyFileEncryptor, EncryptedFileSecretStore, secretKeys } from '../../secrets';
import { probeCommands, factsFrom } from './probe-source';
import { forgetSourceCredential, sourceAuth, storeSourceCredential } from './source-credentials';

describe('the source server login in the secret store', () => {
  let dir: string;
  let secrets: EncryptedFileSecretStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'p2v-credentials-'));
    secrets = new EncryptedFileSecretStore(dir, createKeyFileEncryptor({ keyFile: join(dir, 'secrets.key') }), silentLogger);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a password under a new credential id and hands back only its name', async () => {
    const id = await storeSourceCredential(secrets, { method: 'password', password: 's3cret' });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await sourceAuth(secrets, id)).toEqual({ method: 'password', passwordSecret: secretKeys.p2vSourcePassword(id) });
    expect(await secrets.get(secretKeys.p2vSourcePassword(id))).toBe('s3cret');
    expect(await secrets.get(secretKeys.p2vSourceAuth(id))).not.toContain('s3cret');
  });

  it('keeps a key file path with its passphrase, or without one, and the agent choice', async () => {
    const withPassphrase = await storeSourceCredential(secrets, { method: 'key-file', privateKeyPath: '/home/me/.ssh/id_ed25519', passphrase: 'pass' });
    expect(await sourceAuth(secrets, withPassphrase)).toEqual({
      method: 'key-file',
      privateKeyPath: '/home/me/.ssh/id_ed25519',
      passphraseSecret: secretKeys.p2vSourcePassphrase(withPassphrase),
    });
    const without = await storeSourceCredential(secrets, { method: 'key-file', privateKeyPath: '/home/me/.ssh/id_rsa' });
    expect(await sourceAuth(secrets, without)).toEqual({ method: 'key-file', privateKeyPath: '/home/me/.ssh/id_rsa' });
    expect(await sourceAuth(secrets, await storeSourceCredential(secrets, { method: 'agent' }))).toEqual({ method: 'agent' });
  });

  it('forgets everything of a credential, after which it says to connect again', async () => {
    const id = await storeSourceCredential(secrets, { method: 'key-file', privateKeyPath: '/k', passphrase: 'pass' });
    const other = await storeSourceCredential(secrets, { method: 'password', password: 'kept' });
    await forgetSourceCredential(secrets, id);
    expect(await secrets.has(secretKeys.p2vSourcePassphrase(id))).toBe(false);
    await expect(sourceAuth(secrets, id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('connect to the server again') });
    expect(await secrets.get(secretKeys.p2vSourcePassword(other))).toBe('kept');
  });
});

describe('a probe whose commands all failed', () => {
  it('still answers, every checklist point saying what it could not read', () => {
    const none = Object.fromEntries(Object.keys(probeCommands).map((name) => [name, undefined])) as Parameters<typeof factsFrom>[0];
    const facts = factsFrom(none);
    expect(facts).toMatchObject({ hostname: 'unknown', cpus: 0, memoryBytes: 0, disks: [], nics: [], lvm: [] });
    expect(facts.checklist.map((item) => [item.id, item.status, item.summary.key])).toEqual([
      ['fstab-stable-names', 'warning', 'p2v.checklist.unread'],
      ['virtio-initramfs', 'warning', 'p2v.checklist.unread'],
      ['nic-names', 'warning', 'p2v.checklist.unread'],
      ['vendor-agents', 'warning', 'p2v.checklist.unread'],
    ]);
  });
});
