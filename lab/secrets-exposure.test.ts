/**
 * What other users of the machine see of the lab's secrets: `ps` shows every
 * process's command line to everyone, and log files are only as private as
 * their modes. The lab is started as `npm start` starts it (with `--log`) and
 * one Linux guest boots.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startLab, type LabReady, type RunningLab } from './api/lab-harness';
import { SerialConsole } from './qemu/test-support';

let lab: RunningLab;
let logDir: string;
let logFile: string;

beforeAll(async () => {
  logDir = mkdtempSync(join(tmpdir(), 'pvelab-log-'));
  logFile = join(logDir, 'logs', 'lab.log');
  lab = await startLab(['--nodes', '1', '--onboot', '1', '--log', logFile]);
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  rmSync(logDir, { recursive: true, force: true });
});

function secretsOf(ready: LabReady): string[] {
  const { root, admin, user, tfa, token } = ready.accounts;
  return [root.password, admin.password, user.password, tfa.password, tfa.totpSecret, ...tfa.recoveryKeys, token.secret, ready.guestPassword];
}

/** Every process below `pid`, however deep (QEMU under setpriv, sshd's sessions, shells). */
function descendantsOf(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return ''; // gone meanwhile
  }
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('the lab keeps its secrets from other users', () => {
  it('lets root into the guest with the generated password, which reached it through fw_cfg', async () => {
    const password = lab.ready.guestPassword;
    expect(password).toMatch(/^[\w-]{16}$/);
    const runDir = join(lab.ready.stateDir, 'lab1', 'qemu', 'run');
    const socket = readdirSync(runDir).find((name) => /^100\.\d+\.serial0$/.test(name));
    expect(socket).toBeDefined();
    const serial = await SerialConsole.open(join(runDir, socket ?? ''));
    try {
      await serial.login(password, 90_000);
      expect(await serial.run('id -u')).toContain('0');
    } finally {
      serial.close();
    }
    // The file QEMU read the password from is gone once QEMU runs.
    expect(readdirSync(runDir).filter((name) => name.endsWith('.password'))).toEqual([]);
  }, 150_000);

  it('puts no secret on the command line of any process it starts, consoles open included', async () => {
    const auth = { token: lab.ready.accounts.token.value };
    // Consoles set one-time VNC and SPICE passwords in the running QEMU.
    expect((await call(lab, 'POST', '/nodes/pve1/qemu/100/vncproxy', { auth, params: { websocket: 1, 'generate-password': 1 } })).status).toBe(200);
    const pids = descendantsOf(lab.process.pid ?? 0);
    const commandLines = pids.map(commandLineOf).filter((line) => line.length > 0);
    expect(commandLines.some((line) => line.includes('qemu-system-x86_64'))).toBe(true);
    expect(commandLines.some((line) => line.includes('/usr/sbin/sshd'))).toBe(true);
    for (const secret of secretsOf(lab.ready)) {
      expect(commandLines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it('keeps its log and every sshd log to this user: files 0600 in 0700 folders, no secret written', () => {
    expect(modeOf(join(logDir, 'logs'))).toBe(0o700);
    expect(modeOf(logFile)).toBe(0o600);
    const logged = readFileSync(logFile, 'utf8');
    expect(logged).toContain('qemu-system-x86_64');
    for (const secret of secretsOf(lab.ready)) expect(logged).not.toContain(secret);
    const sshdLogs = readdirSync(join(lab.ready.stateDir, 'lab1', 'nodes'), { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('sshd.log'));
    expect(sshdLogs.length).toBeGreaterThan(0);
    for (const path of sshdLogs) expect(modeOf(join(lab.ready.stateDir, 'lab1', 'nodes', path))).toBe(0o600);
  });
});
