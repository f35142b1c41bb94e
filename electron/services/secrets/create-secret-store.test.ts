import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../log';
import { createSecretStore, probeKeychain } from './create-secret-store';
import { createKeyFileEncryptor } from './key-file-encryptor';
import { loadKeytar, type KeytarLike } from './keytar-secret-store';
import { secretsFileName } from './encrypted-file-secret-store';

const run = promisify(execFile);
const childScript = join(import.meta.dirname, 'testing', 'create-store-in-child.ts');

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (event: string, fields?: Record<string, unknown>) => lines.push(JSON.stringify({ event, ...fields }));
  return { lines, debug: record, info: record, warn: record, error: record };
}

function fakeKeytar(behaviour: 'throws' | 'hangs' | 'forgets'): KeytarLike {
  const never = new Promise<never>(() => {});
  return {
    async setPassword() {
      if (behaviour === 'throws') throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      if (behaviour === 'hangs') return never;
    },
    getPassword: async () => null,
    deletePassword: async () => false,
    findCredentials: async () => [],
  };
}

async function runChild(configDir: string, keyFile: string, env: NodeJS.ProcessEnv) {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', childScript, configDir, keyFile, `pve-desk-test-${randomBytes(4).toString('hex')}`],
    {
      env,
      timeout: 20_000,
    },
  );
  return { result: JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { backend: { kind: string; detail: string }; stored: string }, log: stderr };
}

describe('probeKeychain', () => {
  it('passes on the real keychain and leaves no probe entry behind', async () => {
    const keytar = await loadKeytar();
    const service = `pve-desk-test-${randomBytes(4).toString('hex')}`;
    expect(await probeKeychain(keytar, service)).toEqual({ ok: true });
    expect(await keytar.findCredentials(service)).toEqual([]);
  });

  it('reports a keychain that fails', async () => {
    expect(await probeKeychain(fakeKeytar('throws'), 'x')).toEqual({
      ok: false,
      reason: {
        en: 'the keychain is not reachable: Cannot autolaunch D-Bus without X11 $DISPLAY',
        fr: 'le trousseau est injoignable : Cannot autolaunch D-Bus without X11 $DISPLAY',
      },
    });
  });

  it('gives up on a keychain that never answers (a locked keyring waiting on a prompt)', async () => {
    const started = Date.now();
    const result = await probeKeychain(fakeKeytar('hangs'), 'x', 300);
    expect(result).toEqual({ ok: false, reason: expect.objectContaining({ en: expect.stringContaining('did not answer within 0.3 s') as unknown }) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a keychain that does not return what was stored', async () => {
    expect(await probeKeychain(fakeKeytar('forgets'), 'x')).toEqual({
      ok: false,
      reason: expect.objectContaining({ en: 'the keychain did not return what was stored' }) as unknown,
    });
  });
});

describe('createSecretStore', () => {
  it('uses the keychain when it answers', async () => {
    const logger = recordingLogger();
    const configDir = await mkdtemp(join(tmpdir(), 'pve-desk-create-'));
    const store = await createSecretStore({ configDir, logger, service: `pve-desk-test-${randomBytes(4).toString('hex')}` });
    expect(store.backend.kind).toBe('keychain');
    await store.set('profile/a/password', 'value-in-keychain');
    expect(await store.get('profile/a/password')).toBe('value-in-keychain');
    await store.deleteAll('profile/a');
    expect(logger.lines.join('\n')).not.toContain('value-in-keychain');
  });

  it('falls back to the encrypted file when keytar cannot even be loaded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pve-desk-create-'));
    const logger = recordingLogger();
    const store = await createSecretStore({
      configDir: join(dir, 'config'),
      logger,
      encryptor: createKeyFileEncryptor({ keyFile: join(dir, 'secrets.key') }),
      keytar: async () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file');
      },
    });
    expect(store.backend).toEqual({
      kind: 'encrypted-file',
      detail: expect.stringContaining('the keychain module could not be loaded: libsecret-1.so.0'),
      detailTranslations: { fr: expect.stringContaining('le module du trousseau n’a pas pu être chargé : libsecret-1.so.0') },
    });
    await store.set('ssh/n1/passphrase', 'fallback-value');
    expect(await store.get('ssh/n1/passphrase')).toBe('fallback-value');
    expect(await readFile(join(dir, 'config', secretsFileName), 'utf8')).not.toContain('fallback-value');
    expect(logger.lines.join('\n')).not.toContain('fallback-value');
  });

  it('falls back for real when no D-Bus session is reachable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pve-desk-create-'));
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus-here')}` };
    const { result, log } = await runChild(join(dir, 'config'), join(dir, 'secrets.key'), env);
    expect(result.backend.kind).toBe('encrypted-file');
    expect(result.backend.detail).toMatch(/the keychain is not reachable: .+/);
    expect(result.stored).toBe('round-trip');
    expect(await readFile(join(dir, 'config', secretsFileName), 'utf8')).not.toContain('child-secret-value');
    expect(log).toContain('secrets.keychain-unavailable');
    expect(log).not.toContain('child-secret-value');
  });

  it('refuses to store when neither a keychain nor encryption is available', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pve-desk-create-'));
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus-here')}` };
    const { result } = await runChild(join(dir, 'config'), 'none', env);
    expect(result.backend.kind).toBe('unavailable');
    expect(result.stored).toMatch(/^refused: NO_SECURE_STORAGE: No keychain reachable .* no encryption available/);
  });
});
