import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mountTinyDisk, type TinyDisk } from './testing/tiny-disk';
import { StorageError } from './storage-error';
import { silentLogger } from '../log';
import { readJsonFile, writeJsonFile } from './json-file';

// On a real (tiny) file system: a full disk and a read-only one are what the kernel says they are.
describe('config files on a disk that fills up or turns read-only', () => {
  let disk: TinyDisk;
  const file = () => join(disk.path, 'config', 'profiles.json');
  const schema = z.object({ profiles: z.array(z.string()) });
  const before = { profiles: ['kept'] };
  const bigger = { profiles: Array.from({ length: 2000 }, (_, i) => `profile ${i}`) };

  beforeAll(async () => {
    disk = await mountTinyDisk(256);
  });
  afterAll(async () => {
    await disk?.unmount();
  });

  it('leaves the previous file whole and no temporary file when the disk is full, and says to free space', async () => {
    await writeJsonFile(file(), before);
    await disk.fill();
    const failure = await writeJsonFile(file(), bigger).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ code: 'DISK_FULL' });
    expect((failure as StorageError).message).toContain('is full');
    expect((failure as StorageError).message).toContain('Free some space');
    expect(await readJsonFile(file(), schema, { profiles: [] }, silentLogger)).toEqual(before);
    expect(await readdir(join(disk.path, 'config'))).toEqual(['profiles.json']);
  });

  it('saves again once space is freed', async () => {
    await disk.free();
    await writeJsonFile(file(), bigger);
    expect(await readJsonFile(file(), schema, { profiles: [] }, silentLogger)).toEqual(bigger);
  });

  it('says the folder cannot be written when the disk is read-only, and keeps the file', async () => {
    await disk.readOnly(true);
    try {
      await expect(writeJsonFile(file(), before)).rejects.toMatchObject({
        code: 'NOT_WRITABLE',
        message: expect.stringContaining('cannot be written (EROFS)') as unknown,
      });
      expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual(bigger);
    } finally {
      await disk.readOnly(false);
    }
  });

  it('moves a damaged file aside instead of overwriting it', async () => {
    await writeFile(file(), '{"profiles": [');
    expect(await readJsonFile(file(), schema, { profiles: [] }, silentLogger)).toEqual({ profiles: [] });
    const names = await readdir(join(disk.path, 'config'));
    const aside = names.find((name) => name.startsWith('profiles.json.damaged-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(disk.path, 'config', aside ?? ''), 'utf8')).toBe('{"profiles": [');
  });
});

describe('config files are the user’s only', () => {
  let disk: TinyDisk;
  const modeOf = (path: string): number => statSync(path).mode & 0o777;
  beforeAll(async () => {
    disk = await mountTinyDisk(64);
  });
  afterAll(async () => {
    await disk?.unmount();
  });

  it('writes 0600 files and narrows a config folder left open to others to 0700', async () => {
    const folder = join(disk.path, 'pve-desk');
    mkdirSync(folder);
    chmodSync(folder, 0o755);
    await writeJsonFile(join(folder, 'settings.json'), { theme: 'dark' });
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(join(folder, 'settings.json'))).toBe(0o600);
  });
});
