import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCpioNewc } from './cpio';

describe('writeCpioNewc', () => {
  it('writes an archive GNU cpio unpacks with the same files, modes and links', () => {
    const archive = writeCpioNewc([
      { kind: 'dir', path: 'etc' },
      { kind: 'file', path: 'etc/hostname', data: 'guest\n' },
      { kind: 'file', path: 'init', data: '#!/bin/sh\n', mode: 0o755 },
      { kind: 'symlink', path: 'sh', target: 'init' },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'pvelab-cpio-'));
    try {
      execFileSync('cpio', ['-id', '--quiet'], { cwd: dir, input: archive });
      expect(readFileSync(join(dir, 'etc/hostname'), 'utf8')).toBe('guest\n');
      expect(statSync(join(dir, 'init')).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(dir, 'sh'))).toBe('init');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible: the same entries give the same bytes', () => {
    const entries = [{ kind: 'file' as const, path: 'a', data: 'x' }];
    expect(writeCpioNewc(entries).equals(writeCpioNewc(entries))).toBe(true);
  });
});
