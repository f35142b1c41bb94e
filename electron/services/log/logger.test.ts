import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mountTinyDisk, type TinyDisk } from '../config/testing';
import { createLogger } from './logger';

describe('the log file on a full disk', () => {
  let disk: TinyDisk;
  beforeAll(async () => {
    disk = await mountTinyDisk(128);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await disk?.unmount();
  });

  it('never fails the caller: lines go to stderr, which says once that the file stopped and once that it is back', async () => {
    const file = join(disk.path, 'logs', 'app.log');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logger = createLogger({ file, echo: false });
    logger.info('before.full', { step: 1 });
    await disk.fill();
    // Lines longer than a page: the log file's own last page may have room left for a short one.
    const long = 'x'.repeat(8192);
    expect(() => {
      logger.info('while.full', { step: 2, long, password: 'hunter2-never-written' });
      logger.warn('still.full', { step: 3, long });
    }).not.toThrow();
    await disk.free();
    logger.info('after.free', { step: 4 });

    const printed = stderr.mock.calls.map(([chunk]) => String(chunk));
    stderr.mockRestore();
    expect(printed.filter((line) => line.includes('cannot be written (ENOSPC)'))).toHaveLength(1);
    expect(printed.some((line) => line.includes('"event":"while.full"'))).toBe(true);
    expect(printed.some((line) => line.includes('"event":"still.full"'))).toBe(true);
    expect(printed.filter((line) => line.includes('can be written again'))).toHaveLength(1);
    expect(printed.join('')).not.toContain('hunter2-never-written');
    const written = (await readFile(file, 'utf8')).split('\n');
    expect(written[0]).toContain('"event":"before.full"');
    // Whatever part of a line the full disk let through, the next line is whole and parses.
    const after = written.find((line) => line.includes('"event":"after.free"'));
    expect(after === undefined ? undefined : JSON.parse(after)).toMatchObject({ event: 'after.free', step: 4 });
  });
});

describe('the log folder and file', () => {
  let root: string;
  const modeOf = (path: string): number => statSync(path).mode & 0o777;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pve-desk-log-modes-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('are created 0700 and 0600, the config folder above included', () => {
    const file = join(root, 'fresh', 'logs', 'main.log');
    createLogger({ file, echo: false }).info('first.line');
    expect(modeOf(join(root, 'fresh'))).toBe(0o700);
    expect(modeOf(join(root, 'fresh', 'logs'))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
  });

  it('are narrowed to the user when an earlier run left them readable by others', () => {
    const logs = join(root, 'older', 'logs');
    mkdirSync(logs, { recursive: true });
    chmodSync(logs, 0o755);
    const file = join(logs, 'main.log');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    createLogger({ file, echo: false }).info('next.line');
    expect(modeOf(logs)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
  });
});
