import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootServices, couldNotStart, type BootedServices } from './boot';
import { createKeyFileEncryptor } from './secrets';

/** What the lab prints as LAB READY, reduced to what a profile is made from. */
const labReady = {
  clusters: [
    {
      name: 'lab1',
      api: 'https://127.0.0.1:18006',
      fingerprint: 'AA:BB',
      nodes: [
        { name: 'pve1', api: 'https://127.0.0.1:18007', fingerprint: 'CC:DD', ssh: { host: '127.0.0.1', port: 12022, user: 'root', key: '/tmp/lab-key' } },
      ],
    },
  ],
  accounts: { root: { userid: 'root@pam', password: 'lab-root-password' } },
};

describe('bootServices, the one start of both hosts', () => {
  const folders: string[] = [];
  let booted: BootedServices | undefined;
  const folder = (prefix: string): string => {
    const path = mkdtempSync(join(tmpdir(), prefix));
    folders.push(path);
    return path;
  };
  const boot = async (labReadyFile?: string): Promise<{ services: BootedServices; configDir: string }> => {
    const configDir = join(folder('pve-desk-boot-'), 'config');
    booted = await bootServices({
      host: 'web',
      configDir,
      logFileName: 'web-host.log',
      echoLog: false,
      appName: 'PVE Desk',
      appVersion: '1.2.3',
      encryptor: createKeyFileEncryptor({ keyFile: join(folder('pve-desk-key-'), 'secrets.key') }),
      keychainService: 'pve-desk-test',
      ...(labReadyFile !== undefined ? { labReadyFile } : {}),
    });
    return { services: booted, configDir };
  };

  afterEach(async () => {
    await booted?.close();
    booted = undefined;
    for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it('creates the config folder and its log, and seeds no profile when no lab ready file is given', async () => {
    const { services, configDir } = await boot();
    expect(services.logger.file).toBe(join(configDir, 'logs', 'web-host.log'));
    expect((await services.connections.list()).profiles).toEqual([]);
  });

  it("makes the lab's ready profile, its password stored, when `npm start` gives the lab ready file", async () => {
    const readyFile = join(folder('pve-desk-ready-'), 'ready.json');
    writeFileSync(readyFile, JSON.stringify(labReady), { mode: 0o600 });
    const { services } = await boot(readyFile);
    const [profile, ...others] = (await services.connections.list()).profiles;
    expect(others).toEqual([]);
    expect(profile).toMatchObject({ name: 'Lab cluster lab1', stored: { password: true } });
    expect(profile?.endpoints.map((endpoint) => endpoint.port)).toEqual([18006, 18007]);
  });
});

describe('couldNotStart', () => {
  it('says what failed and what to try, in one sentence both hosts show', () => {
    expect(couldNotStart('PVE Desk', new Error('EACCES: permission denied, mkdir /home/ada/.config/pve-desk.'))).toEqual({
      title: 'PVE Desk could not start',
      detail:
        'EACCES: permission denied, mkdir /home/ada/.config/pve-desk. Check that the configuration folder is writable and the disk is not full, then start the app again.',
    });
  });
});
