import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyFileEncryptor } from '../secrets';
import { ensurePrivateFolder, restrictToOwner } from './private-folder';
import { mountTinyDisk } from './testing/tiny-disk';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('the app folders are the user’s only', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pve-desk-private-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing folder and its missing parents 0700, whatever the umask lets through', () => {
    const folder = join(root, 'config', 'pve-desk');
    ensurePrivateFolder(folder);
    expect(modeOf(join(root, 'config'))).toBe(0o700);
    expect(modeOf(folder)).toBe(0o700);
  });

  it('narrows an existing folder of ours that others could read to 0700', () => {
    const folder = join(root, 'pve-desk');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    ensurePrivateFolder(folder);
    expect(modeOf(folder)).toBe(0o700);
  });

  it('leaves a folder another account owns as it is', () => {
    const folder = join(root, 'shared');
    mkdirSync(folder);
    chmodSync(folder, 0o755);
    chownSync(folder, 4242, 4242);
    ensurePrivateFolder(folder);
    expect(modeOf(folder)).toBe(0o755);
  });

  it('takes group and other bits off a file and keeps the owner’s', () => {
    const file = join(root, 'main.log');
    writeFileSync(file, '', { mode: 0o644 });
    chmodSync(file, 0o644);
    restrictToOwner(file);
    expect(modeOf(file)).toBe(0o600);
  });

  it('narrows the data folder that holds the secrets key when the key is first needed', () => {
    const dataDir = join(root, 'share', 'pve-desk');
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    const encryptor = createKeyFileEncryptor({ keyFile: join(dataDir, 'secrets.key'), machineIdFiles: [] });
    expect(encryptor.isEncryptionAvailable()).toBe(true);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'secrets.key'))).toBe(0o600);
  });
});

describe('an open folder on a read-only disk', () => {
  it('is left as it is instead of stopping the app', async () => {
    const disk = await mountTinyDisk(64);
    try {
      const folder = join(disk.path, 'pve-desk');
      mkdirSync(folder);
      chmodSync(folder, 0o755);
      await disk.readOnly(true);
      expect(() => ensurePrivateFolder(folder)).not.toThrow();
      expect(modeOf(folder)).toBe(0o755);
    } finally {
      await disk.readOnly(false);
      await disk.unmount();
    }
  });
});
