// Test support: a real OpenSSH sshd on 127.0.0.1 for the integration tests,
// the lab's OpenSSH server set up the way these tests log in.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPair, startOpenSshServer, type OpenSshServer } from '../../../../lab/ssh/openssh-server';

export { freeTcpPort } from '../../../../lab/qemu/free-port';
export { fingerprintOf } from '../../../../lab/ssh/openssh-server';

export const run = promisify(execFile);

/** A new ed25519 key pair at `path` (public key at `<path>.pub`); returns the public key line, newline-terminated as in authorized_keys. */
export async function generateKey(path: string, passphrase = ''): Promise<string> {
  const { publicKey } = await generateKeyPair(path, { comment: 'pve-desk-test', passphrase });
  return `${publicKey}\n`;
}

/**
 * A throwaway login for the tests: password auth needs a real account with a
 * real password, and the tests should not run commands as root. Removed again
 * by `remove()`; a leftover from a crashed run is replaced.
 */
export async function createTestUser(name: string, home: string, password: string): Promise<{ uid: number; gid: number; remove(): Promise<void> }> {
  await run('userdel', [name]).catch(() => undefined);
  await run('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', name]);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('chpasswd', [], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd exited ${code}`))));
    child.stdin.end(`${name}:${password}\n`);
  });
  const { stdout } = await run('id', ['-u', name]);
  const { stdout: gidOut } = await run('id', ['-g', name]);
  const uid = Number(stdout.trim());
  const gid = Number(gidOut.trim());
  await mkdir(home, { recursive: true });
  await chown(home, uid, gid);
  return { uid, gid, remove: async () => void (await run('userdel', [name]).catch(() => undefined)) };
}

/**
 * The running sshd. Its log (`log()`, `logFile`) is sshd's stderr, appended
 * as it arrives: a line sshd just wrote may not be there yet, so wait for it
 * (`waitUntil`) rather than read it once.
 */
export type RunningSshd = OpenSshServer;

/**
 * An sshd that lets `allowUser` (and no one else, root least of all) in by
 * password or by a key in `authorizedKeysFile`, with SFTP and TCP forwarding,
 * logging at DEBUG3 for tests that check what reached the server.
 */
export function startSshd(options: {
  dir: string;
  name: string;
  hostKey: string;
  authorizedKeysFile: string;
  allowUser: string;
  port?: number;
}): Promise<RunningSshd> {
  const { allowUser, ...server } = options;
  return startOpenSshServer({
    ...server,
    directives: [
      'PasswordAuthentication yes',
      'PermitRootLogin no',
      `AllowUsers ${allowUser}`,
      'AllowTcpForwarding yes',
      'Subsystem sftp internal-sftp',
      'LogLevel DEBUG3',
    ],
  });
}

/** Polls `condition` every 25 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Processes whose process group is `pgid` (to prove a cancelled remote command is gone). */
export function processesInGroup(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && processGroupOf(entry) === pgid)
    .map(Number);
}

/** The process group of process `pid`; undefined once it is gone. */
function processGroupOf(pid: string): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command name: state ppid pgrp ...
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** A real ssh-agent on its own socket, holding the given keys. */
export async function startSshAgent(dir: string, keys: string[]): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, 'agent.sock');
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'ssh-agent', '-D', '-a', socket], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitUntil('ssh-agent listens', () => existsSync(socket) || child.exitCode !== null);
    if (!existsSync(socket)) throw new Error(`ssh-agent did not start: exited ${child.exitCode}`);
    for (const key of keys) await run('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  } catch (error) {
    await stop();
    throw error;
  }
  return { socket, stop };
}
