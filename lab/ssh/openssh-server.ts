/**
 * A real OpenSSH sshd on 127.0.0.1, run in the foreground by this process:
 * key generation, the sshd_config every such server shares, start-up until
 * the SSH banner answers, and a stop that leaves no session behind. The lab's
 * node sshd builds on it, and so can the app's SSH client tests.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freeTcpPort } from '../qemu/free-port';

const SSHD = '/usr/sbin/sshd';
const BANNER_TIMEOUT_MS = 10_000;
/** Tries with a new free port when another process took the chosen one first. */
const PORT_ATTEMPTS = 3;

/**
 * An ed25519 key pair made by ssh-keygen; the public key is `<path>.pub`. The
 * passphrase goes to ssh-keygen's prompt on stdin, not to `-N`: a command line
 * is visible to every user in `ps`. `detached` starts it in a session of its
 * own, without a terminal it would prompt on instead.
 */
export async function generateKeyPair(path: string, options: { comment: string; passphrase?: string }): Promise<{ privateKeyPath: string; publicKey: string }> {
  const passphrase = options.passphrase ?? '';
  if (/[\r\n]/.test(passphrase)) throw new Error('a key passphrase cannot contain a line break');
  const child = spawn('ssh-keygen', ['-q', '-t', 'ed25519', '-C', options.comment, '-f', path], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(`${passphrase}\n${passphrase}\n`);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`ssh-keygen could not make ${path} (exit ${code}): ${stderr.trim()}`);
  return { privateKeyPath: path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() };
}

/** Reuses the key pair at `path` when there is one, so fingerprints and trust survive restarts. */
export async function keyPairAt(path: string, comment: string): Promise<{ privateKeyPath: string; publicKey: string }> {
  if (existsSync(path) && existsSync(`${path}.pub`)) return { privateKeyPath: path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() };
  return generateKeyPair(path, { comment });
}

/** OpenSSH's `SHA256:<base64 without padding>` fingerprint of a public key line (`ssh-ed25519 AAAA… comment`). */
export function fingerprintOf(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not an OpenSSH public key: ${publicKey.slice(0, 40)}`);
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export interface OpenSshServerOptions {
  /** Folder of the generated config, pid file and log. */
  dir: string;
  /** Prefix of those files: `<name>_config`, `<name>.pid`, `<name>.log`. */
  name: string;
  hostKey: string;
  authorizedKeysFile: string;
  /** Fixed port; absent: a free one. */
  port?: number;
  /** The directives that make this server what it is (who may log in and how, environment, subsystems). */
  directives: string[];
  /** A command that execs its arguments (sshd's command line) after preparing something, e.g. a private mount namespace. */
  launcher?: string[];
}

export interface OpenSshServer {
  port: number;
  pid: number;
  configFile: string;
  logFile: string;
  log(): string;
  /** Kills the per-connection sshd processes and everything below them: every client connection drops, the listener stays. */
  dropConnections(): void;
  /** Stops the listener and every session it started. */
  stop(): Promise<void>;
}

/**
 * Starts `sshd -D -e` under setpriv's parent-death signal, so the listener
 * can never outlive this process. Session processes are not covered by it
 * (sshd starts them in their own sessions); stop() ends them.
 */
export async function startOpenSshServer(options: OpenSshServerOptions): Promise<OpenSshServer> {
  // sshd refuses to start as root without its privilege-separation directory; Debian creates it at boot only.
  if (!existsSync('/run/sshd')) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freeTcpPort());
    try {
      return await startOnPort(options, port);
    } catch (error) {
      const raced = options.port === undefined && error instanceof PortTakenError;
      if (!raced || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnPort(options: OpenSshServerOptions, port: number): Promise<OpenSshServer> {
  const configFile = join(options.dir, `${options.name}_config`);
  const logFile = join(options.dir, `${options.name}.log`);
  await writeFile(
    configFile,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${options.hostKey}`,
      `PidFile ${join(options.dir, `${options.name}.pid`)}`,
      `AuthorizedKeysFile ${options.authorizedKeysFile}`,
      // The files live in test and state folders whose owners and modes sshd's strict checks would reject.
      'StrictModes no',
      'UsePAM no',
      'KbdInteractiveAuthentication no',
      ...options.directives,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', ...(options.launcher ?? []), SSHD, '-D', '-e', '-f', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // sshd logs who logged in with which key, from where: for this user only.
  child.stderr.on('data', (chunk: Buffer) => appendFileSync(logFile, chunk, { mode: 0o600 }));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const pid = child.pid ?? 0;
  try {
    await waitForBanner(port, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    const log = safeRead(logFile);
    if (/Address already in use/.test(log)) throw new PortTakenError(`port ${port} is taken`);
    throw new Error(`sshd did not start on port ${port}: ${error instanceof Error ? error.message : String(error)}\n${log.slice(-2000)}`);
  }
  return {
    port,
    pid,
    configFile,
    logFile,
    log: () => safeRead(logFile),
    dropConnections: () => killTree(pid, { includeRoot: false }),
    stop: async () => {
      killTree(pid, { includeRoot: true });
      await exited;
    },
  };
}

async function waitForBanner(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + BANNER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('sshd exited');
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('SSH-2.0-'));
      });
      socket.once('error', () => resolve(false));
    });
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no SSH banner within ${BANNER_TIMEOUT_MS} ms`);
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks
    .flatMap((task) => safeRead(`/proc/${pid}/task/${task}/children`).split(/\s+/))
    .filter(Boolean)
    .map(Number);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * SIGKILLs `root`'s process tree. Every process is stopped first and the tree
 * walked until no new child shows up: a killed parent's children would move
 * to init and out of reach, and a running one could fork meanwhile.
 */
function killTree(root: number, options: { includeRoot: boolean }): void {
  const found = new Set<number>();
  if (options.includeRoot) signal(root, 'SIGSTOP');
  let frontier = [root];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const pid of frontier) {
      for (const child of childrenOf(pid)) {
        if (found.has(child)) continue;
        found.add(child);
        signal(child, 'SIGSTOP');
        next.push(child);
      }
    }
    frontier = next;
  }
  if (options.includeRoot) found.add(root);
  for (const pid of found) signal(pid, 'SIGKILL');
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
