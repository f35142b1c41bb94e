import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createKeyFileEncryptor } from './key-file-encryptor';

describe('createKeyFileEncryptor', () => {
  let dir: string;
  let machineId: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pve-desk-keyfile-'));
    machineId = join(dir, 'machine-id');
    await writeFile(machineId, 'aaaabbbbccccdddd\n');
  });

  it('creates a 0600 key file on first use and round-trips text', async () => {
    const keyFile = join(dir, 'data', 'secrets.key');
    const encryptor = createKeyFileEncryptor({ keyFile, machineIdFiles: [machineId] });
    expect(encryptor.isEncryptionAvailable()).toBe(true);
    const sealed = encryptor.encryptString('hunter2 ✓');
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(encryptor.decryptString(sealed)).toBe('hunter2 ✓');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    // A second instance (the next launch) reads the same key.
    expect(createKeyFileEncryptor({ keyFile, machineIdFiles: [machineId] }).decryptString(sealed)).toBe('hunter2 ✓');
  });

  it('refuses a flipped bit instead of returning garbage', () => {
    const encryptor = createKeyFileEncryptor({ keyFile: join(dir, 'k'), machineIdFiles: [machineId] });
    const sealed = encryptor.encryptString('value');
    const last = sealed.length - 1;
    sealed.writeUInt8(sealed.readUInt8(last) ^ 0x01, last);
    expect(() => encryptor.decryptString(sealed)).toThrow(/changed, or was encrypted with another key/);
  });

  it('decrypts nothing on another machine, even with the key file copied', async () => {
    const keyFile = join(dir, 'k');
    const sealed = createKeyFileEncryptor({ keyFile, machineIdFiles: [machineId] }).encryptString('value');
    const otherMachine = join(dir, 'other-machine-id');
    await writeFile(otherMachine, 'eeeeffff00001111\n');
    expect(() => createKeyFileEncryptor({ keyFile, machineIdFiles: [otherMachine] }).decryptString(sealed)).toThrow();
  });

  it('is unavailable, with the reason, when the key file is readable by others', async () => {
    const keyFile = join(dir, 'k');
    createKeyFileEncryptor({ keyFile, machineIdFiles: [machineId] }).encryptString('x');
    await chmod(keyFile, 0o644);
    const encryptor = createKeyFileEncryptor({ keyFile, machineIdFiles: [machineId] });
    expect(encryptor.isEncryptionAvailable()).toBe(false);
    expect(encryptor.unavailableReason()).toMatch(/readable by other users.*chmod 600/);
    expect(() => encryptor.encryptString('x')).toThrow(/not available/);
  });

  it('is unavailable when the key file is damaged', async () => {
    const keyFile = join(dir, 'k');
    await writeFile(keyFile, 'short', { mode: 0o600 });
    const encryptor = createKeyFileEncryptor({ keyFile, machineIdFiles: [machineId] });
    expect(encryptor.isEncryptionAvailable()).toBe(false);
    expect(encryptor.unavailableReason()).toMatch(/damaged/);
    expect(await readFile(keyFile, 'utf8')).toBe('short');
  });
});
