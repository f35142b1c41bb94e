// Test support: a real OpenSSH sshd on 127.0.0.1 for the integration tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function generateKey(path: string, passphrase = ''): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'pve-desk-test', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8');
}

export async function fingerprintOf(publicKeyPath: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyPath]);
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(stdout);
  if (match === null) throw new Error(`no fingerprint in ${stdout}`);
  return match[0];
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

export interface RunningSshd {
  port: number;
  logFile: string;
  log(): string;
  /** Kills the per-connection sshd processes: every client connection drops, the listener stays. */
  dropConnections(): void;
  stop(): Promise<void>;
}

/** Starts `/usr/sbin/sshd -D` under setpriv's parent-death signal, so it can never outlive the test process. */
export async function startSshd(options: {
  dir: string;
  name: string;
  hostKey: string;
  authorizedKeysFile: string;
  allowUser: string;
  port?: number;
}): Promise<RunningSshd> {
  // sshd refuses to start as root without its privilege-separation directory; Debian creates it at boot only.
  if (!existsSync('/run/sshd')) await mkdir('/run/sshd', { mode: 0o755 });
  const port = options.port ?? (await freePort());
  const config = join(options.dir, `${options.name}.sshd_config`);
  const logFile = join(options.dir, `${options.name}.log`);
  await writeFile(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${options.hostKey}`,
      `PidFile ${join(options.dir, `${options.name}.pid`)}`,
      `AuthorizedKeysFile ${options.authorizedKeysFile}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${options.allowUser}`,
      'AllowTcpForwarding yes',
      'Subsystem sftp internal-sftp',
      'LogLevel DEBUG3',
      '',
    ].join('\n'),
  );
  await chmod(config, 0o600);
  const child: ChildProcess = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', '/usr/sbin/sshd', '-D', '-E', logFile, '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForBanner(port, () => (child.exitCode !== null ? `sshd exited ${child.exitCode}: ${stderr} ${safeRead(logFile)}` : undefined));
  const pid = child.pid ?? 0;
  return {
    port,
    logFile,
    log: () => safeRead(logFile),
    dropConnections: () => {
      for (const descendant of descendantsOf(pid)) killQuietly(descendant);
    },
    stop: async () => {
      const descendants = descendantsOf(pid);
      child.kill('SIGKILL');
      for (const descendant of descendants) killQuietly(descendant);
      await exited;
    },
  };
}

async function waitForBanner(port: number, failure: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const problem = failure();
    if (problem !== undefined) throw new Error(problem);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('SSH-2.0-'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not answer on port ${port}`);
}

function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const visit = (parent: number) => {
    let children: string;
    try {
      children = readdirSync(`/proc/${parent}/task`)
        .map((task) => safeRead(`/proc/${parent}/task/${task}/children`))
        .join(' ');
    } catch {
      return;
    }
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found.filter((p) => p !== pid);
}

/** Processes whose process group is `pgid` (to prove a cancelled remote command is gone). */
export function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = safeRead(`/proc/${entry}/stat`);
    // Fields after the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) found.push(Number(entry));
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A real ssh-agent on its own socket, holding the given keys. */
export async function startSshAgent(dir: string, keys: string[]): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, 'agent.sock');
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'ssh-agent', '-D', '-a', socket], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 5_000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('ssh-agent did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (const key of keys) await run('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  return {
    socket,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
