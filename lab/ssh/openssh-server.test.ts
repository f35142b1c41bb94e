import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from './openssh-server';

describe('generateKeyPair', () => {
  let dir: string;
  let path: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pvelab-keygen-'));
    path = process.env.PATH;
    // ssh-keygen as found on PATH, behind a wrapper that records the command line every user could read in ps.
    const wrapper = join(dir, 'ssh-keygen');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${join(dir, 'command-lines')}'\nexec /usr/bin/ssh-keygen "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env.PATH = `${dir}:${path ?? ''}`;
  });
  afterEach(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  it('encrypts the key with the passphrase without putting it on ssh-keygen\u2019s command line', async () => {
    const passphrase = 'never-in-ps-7f3k';
    const key = join(dir, 'id_ed25519');
    const { publicKey } = await generateKeyPair(key, { comment: 'test', passphrase });
    expect(readFileSync(join(dir, 'command-lines'), 'utf8')).not.toContain(passphrase);
    expect(execFileSync('/usr/bin/ssh-keygen', ['-y', '-P', passphrase, '-f', key], { encoding: 'utf8' }).trim()).toBe(publicKey);
    expect(() => execFileSync('/usr/bin/ssh-keygen', ['-y', '-P', 'wrong', '-f', key], { stdio: 'ignore' })).toThrow();
  });

  it('makes a key without passphrase when none is given', async () => {
    const key = join(dir, 'id_ed25519');
    await generateKeyPair(key, { comment: 'test' });
    expect(execFileSync('/usr/bin/ssh-keygen', ['-y', '-P', '', '-f', key], { encoding: 'utf8' })).toMatch(/^ssh-ed25519 /);
  });
});
