import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient, QmpError } from './qmp';

// A machine-less QEMU: a real QMP server that costs next to nothing.
describe('QmpClient against a real QEMU', () => {
  let dir: string;
  let qemu: ChildProcess;
  let qmp: QmpClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pvelab-qmp-'));
    const socket = join(dir, 'qmp.sock');
    qemu = spawn(
      'setpriv',
      [
        '--pdeathsig',
        'SIGKILL',
        '--',
        'qemu-system-x86_64',
        '-machine',
        'none',
        '-nodefaults',
        '-display',
        'none',
        '-S',
        '-qmp',
        `unix:${socket},server=on,wait=off`,
      ],
      { stdio: 'ignore' },
    );
    qmp = await QmpClient.connect(socket);
  });

  afterAll(() => {
    qmp?.close();
    qemu?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('negotiates capabilities and returns command results', async () => {
    const version = await qmp.execute<{ qemu: { major: number } }>('query-version');
    expect(version.qemu.major).toBeGreaterThanOrEqual(7);
    expect(await qmp.execute<{ status: string }>('query-status')).toMatchObject({ status: 'prelaunch' });
  });

  it('matches concurrent replies to their commands by id', async () => {
    const [status, name] = await Promise.all([qmp.execute<{ status: string }>('query-status'), qmp.execute<Record<string, unknown>>('query-name')]);
    expect(status.status).toBe('prelaunch');
    expect(name).toEqual({});
  });

  it("rejects with QMP's class and desc", async () => {
    const error = await qmp.execute('no-such-command').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QmpError);
    expect((error as QmpError).errorClass).toBe('CommandNotFound');
    expect((error as QmpError).message).toBe('The command no-such-command has not been found');
  });

  it('delivers events', async () => {
    const resumed = qmp.waitForEvent('RESUME', 5_000);
    await qmp.execute('cont');
    expect((await resumed).event).toBe('RESUME');
  });

  it('fails pending and later commands once QEMU has gone', async () => {
    const closed = new Promise<void>((resolve) => qmp.once('close', resolve));
    await qmp.execute('quit');
    await closed;
    await expect(qmp.execute('query-status')).rejects.toThrow(/closed/);
  });
});
