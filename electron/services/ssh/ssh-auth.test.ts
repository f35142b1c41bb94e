import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../secrets';
import { maxPrivateKeyBytes } from './private-key-file';
import { resolveAuth } from './ssh-auth';

const noSecrets: SecretStore = {
  backend: { kind: 'unavailable', detail: 'test' },
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(false),
  has: () => Promise.resolve(false),
  deleteAll: () => Promise.resolve(0),
};

/** The key file named in a profile is user input: only a regular file under the cap is read, and refusals all look alike. */
describe('key-file authentication', () => {
  let dir: string;
  const keyAuth = (name: string) => resolveAuth({ method: 'key-file', privateKeyPath: join(dir, name) }, noSecrets, {});

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pve-desk-keyfile-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id_ed25519')]);
    symlinkSync(join(dir, 'id_ed25519'), join(dir, 'link-to-key'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    mkdirSync(join(dir, 'directory'));
    writeFileSync(join(dir, 'too-large'), Buffer.alloc(maxPrivateKeyBytes + 1, 0x41));
    writeFileSync(join(dir, 'not-a-key'), 'hello\n');
    writeFileSync(join(dir, 'unreadable'), readFileSync(join(dir, 'id_ed25519')), { mode: 0o600 });
    chmodSync(join(dir, 'unreadable'), 0o000);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a key from a regular file, also through a symbolic link', async () => {
    const key = readFileSync(join(dir, 'id_ed25519'));
    expect((await keyAuth('id_ed25519')).privateKey).toEqual(key);
    expect((await keyAuth('link-to-key')).privateKey).toEqual(key);
  });

  it('refuses a FIFO, a directory, a too large file, a missing path, a file that is no key and an unreadable one alike, without hanging', async () => {
    // Root reads a mode-000 file anyway: the unreadable case only means something for other users.
    const names = ['fifo', 'directory', 'too-large', 'missing', 'not-a-key', ...(process.getuid?.() === 0 ? [] : ['unreadable'])];
    const started = Date.now();
    const messages = await Promise.all(
      names.map(async (name) => {
        const error = await keyAuth(name).then(
          () => undefined,
          (failure: unknown) => failure as { code: string; message: string },
        );
        expect(error?.code, name).toBe('KEY_UNUSABLE');
        return error?.message.replace(join(dir, name), '<path>');
      }),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(new Set(messages)).toEqual(new Set([messages[0]]));
    expect(messages[0]).toMatch(/regular file of at most 64 KiB.*Check the path/);
  }, 5_000);
});
