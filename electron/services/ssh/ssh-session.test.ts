import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { EncryptedFileSecretStore, createKeyFileEncryptor, secretKeys } from '../secrets';
import { KnownHostsStore, knownHostsFileName } from './known-hosts-store';
import type { SshAuth } from './ssh-auth';
import { SshPool } from './ssh-pool';
import { SshSession, type HostKeyQuestion, type SshTarget } from './ssh-session';
import { clearClientMessages, startRecordingProxy } from './testing/recording-proxy';
import {
  createTestUser,
  fingerprintOf,
  freeTcpPort,
  generateKey,
  processesInGroup,
  startSshAgent,
  startSshd,
  waitUntil,
  type RunningSshd,
} from './testing/sshd';

// Against a real OpenSSH sshd on 127.0.0.1, as a throwaway user created for
// the run (password auth needs a real account; nothing runs as root over SSH).
const user = 'pvedesk-sshtest';
const userPassword = randomBytes(12).toString('hex');
const keyPassphrase = randomBytes(12).toString('hex');

let dir: string;
let home: string;
let configDir: string;
let sshd: RunningSshd;
let testUser: Awaited<ReturnType<typeof createTestUser>>;
const keys = { hostA: '', hostB: '', plain: '', encrypted: '', agent: '' };
const secrets = () => new EncryptedFileSecretStore(configDir, createKeyFileEncryptor({ keyFile: join(dir, 'data', 'secrets.key') }), silentLogger);
const opened: SshSession[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pve-desk-ssh-'));
  // The test user's sshd process reads authorized_keys and writes in its home (the secrets key has
  // a folder of its own below: the app keeps the folder of its key to itself).
  await chmod(dir, 0o755);
  home = join(dir, 'home');
  configDir = join(dir, 'config');
  const hostKeys = join(dir, 'host-keys');
  await mkdir(hostKeys, { mode: 0o700 });
  keys.hostA = join(hostKeys, 'host_a');
  keys.hostB = join(hostKeys, 'host_b');
  keys.plain = join(dir, 'id_plain');
  keys.encrypted = join(dir, 'id_encrypted');
  keys.agent = join(dir, 'id_agent');
  await generateKey(keys.hostA);
  await generateKey(keys.hostB);
  const authorized = [await generateKey(keys.plain), await generateKey(keys.encrypted, keyPassphrase), await generateKey(keys.agent)];
  await writeFile(join(dir, 'authorized_keys'), authorized.join(''), { mode: 0o644 });
  testUser = await createTestUser(user, home, userPassword);
  sshd = await startSshd({ dir, name: 'main', hostKey: keys.hostA, authorizedKeysFile: join(dir, 'authorized_keys'), allowUser: user });
  await secrets().set(secretKeys.sshPassphrase('encrypted'), keyPassphrase);
  await secrets().set(secretKeys.sshPassword('pw'), userPassword);
});

afterAll(async () => {
  await sshd?.stop();
  await testUser?.remove();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((session) => session.close()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  questions: HostKeyQuestion[];
  knownHosts: KnownHostsStore;
  session(overrides?: Partial<SshTarget>): SshSession;
}

function harness(answer: boolean | ((q: HostKeyQuestion) => boolean) = true, env: NodeJS.ProcessEnv = {}): Harness {
  const questions: HostKeyQuestion[] = [];
  const knownHosts = new KnownHostsStore(configDir, silentLogger);
  const deps = {
    knownHosts,
    secrets: secrets(),
    logger: silentLogger,
    env,
    confirmHostKey: async (question: HostKeyQuestion) => {
      questions.push(question);
      return typeof answer === 'function' ? answer(question) : answer;
    },
  };
  return {
    questions,
    knownHosts,
    session(overrides = {}) {
      const session = new SshSession({ host: '127.0.0.1', port: sshd.port, username: user, auth: keyAuth(), ...overrides }, deps);
      opened.push(session);
      return session;
    },
  };
}

const keyAuth = (): SshAuth => ({ method: 'key-file', privateKeyPath: keys.plain });

async function collect(session: SshSession, command: string) {
  let stdout = '';
  let stderr = '';
  const result = await session.exec(command, { onStdout: (c) => (stdout += c.toString()), onStderr: (c) => (stderr += c.toString()) });
  return { ...result, stdout, stderr };
}

describe('host key pinning', () => {
  it('asks on first use with the fingerprint OpenSSH shows, pins it, and does not ask again', async () => {
    const first = harness(true);
    expect(await collect(first.session(), 'id -un')).toMatchObject({ exitCode: 0, stdout: `${user}\n` });
    const expected = fingerprintOf(await readFile(`${keys.hostA}.pub`, 'utf8'));
    expect(first.questions).toEqual([{ host: '127.0.0.1', port: sshd.port, fingerprint: expected, keyType: 'ssh-ed25519' }]);
    expect(JSON.parse(await readFile(join(configDir, knownHostsFileName), 'utf8'))).toMatchObject({
      hosts: { [`127.0.0.1:${sshd.port}`]: { fingerprint: expected, keyType: 'ssh-ed25519' } },
    });

    const nextLaunch = harness(() => {
      throw new Error('must not ask for a pinned key');
    });
    expect((await collect(nextLaunch.session(), 'true')).exitCode).toBe(0);
    expect(nextLaunch.questions).toEqual([]);
  });

  it('does not connect, and pins nothing, when the user refuses an unknown key', async () => {
    const refusing = harness(false);
    const port = sshd.port;
    await refusing.knownHosts.forget('127.0.0.1', port);
    await expect(refusing.session().connect()).rejects.toMatchObject({ code: 'HOST_KEY_REFUSED', message: expect.stringContaining('was not accepted') });
    expect(refusing.questions).toHaveLength(1);
    expect(await refusing.knownHosts.lookup('127.0.0.1', port)).toBeUndefined();
  });

  it('refuses a changed host key with both fingerprints, and sends nothing after the key exchange', async () => {
    const port = await freeTcpPort();
    const name = 'changing';
    const original = await startSshd({ dir, name: `${name}-a`, port, hostKey: keys.hostA, authorizedKeysFile: join(dir, 'authorized_keys'), allowUser: user });
    cleanups.push(() => original.stop());
    const proxy = await startRecordingProxy(port);
    cleanups.push(() => proxy.close());
    const h = harness(true);
    await h.session({ port: proxy.port }).connect();
    expect(h.questions).toHaveLength(1);
    await original.stop();

    // Same address and port, another host key: what an attacker in the middle would present.
    const impostor = await startSshd({ dir, name: `${name}-b`, port, hostKey: keys.hostB, authorizedKeysFile: join(dir, 'authorized_keys'), allowUser: user });
    cleanups.push(() => impostor.stop());
    proxy.reset();
    const error = await h
      .session({ port: proxy.port })
      .connect()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const pinned = fingerprintOf(await readFile(`${keys.hostA}.pub`, 'utf8'));
    const presented = fingerprintOf(await readFile(`${keys.hostB}.pub`, 'utf8'));
    expect(error).toMatchObject({
      code: 'HOST_KEY_MISMATCH',
      hostKey: { host: '127.0.0.1', port: proxy.port, pinnedFingerprint: pinned, presentedFingerprint: presented, keyType: 'ssh-ed25519' },
    });
    expect((error as Error).message).toContain(pinned);
    expect((error as Error).message).toContain(presented);
    expect(h.questions).toHaveLength(1);

    // Everything the client sent is readable as clear packets: KEXINIT, the ECDH init and a DISCONNECT.
    // No NEWKEYS (21), no service request (5), no auth request (50): nothing encrypted, no credential.
    await waitUntil('the proxy saw client bytes', () => proxy.clientBytes().length > 0);
    const sent = clearClientMessages(proxy.clientBytes());
    expect(sent.ident).toMatch(/^SSH-2\.0-/);
    expect(sent.unparsed).toBe(0);
    expect(sent.types).toEqual([20, 30, 1]);
    // And the server's own DEBUG3 log agrees: the key exchange started, no user auth was requested.
    // The log is sshd's stderr, appended as it arrives: read it once it has the end of this connection
    // (the banner probe at start-up ends with a bare "Connection closed by", outside [preauth]).
    await waitUntil('the impostor logged the key exchange and the end of the connection', () => {
      const log = impostor.log();
      return (log.includes('KEX_ECDH_INIT') || log.includes('kex')) && /Disconnected from|Connection closed by .*\[preauth\]/.test(log);
    });
    expect(impostor.log()).not.toMatch(/userauth|SSH2_MSG_SERVICE_REQUEST|Accepted|Failed/i);
    expect(await h.knownHosts.lookup('127.0.0.1', proxy.port)).toMatchObject({ fingerprint: pinned });
  });
});

describe('exec', () => {
  it('streams stdout and stderr separately and reports the exit code', async () => {
    const session = harness().session();
    const chunks: string[] = [];
    const result = await session.exec('for i in 1 2 3; do echo out$i; sleep 0.05; done; echo oops >&2; exit 3', {
      onStdout: (c) => chunks.push(c.toString()),
      onStderr: (c) => chunks.push(`ERR:${c.toString()}`),
    });
    expect(result).toEqual({ exitCode: 3, signal: null });
    expect(chunks.join('')).toBe('out1\nout2\nout3\nERR:oops\n');
    expect(chunks.length).toBeGreaterThanOrEqual(4);
  });

  it('passes stdin and reports death by signal', async () => {
    const session = harness().session();
    let stdout = '';
    await session.exec('tr a-z A-Z', { stdin: 'hello', onStdout: (c) => (stdout += c.toString()) });
    expect(stdout).toBe('HELLO');
    expect(await session.exec('kill -KILL $$')).toEqual({ exitCode: null, signal: 'KILL' });
  });

  it('cancels a long command, and the remote process really ends', async () => {
    const session = harness().session();
    const controller = new AbortController();
    let pid = 0;
    const started = Date.now();
    const running = session.exec('echo $$; sleep 30; echo not-reached', {
      signal: controller.signal,
      onStdout: (chunk) => {
        pid = Number(chunk.toString().trim().split('\n')[0]);
        controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pid).toBeGreaterThan(1);
    // sshd ran the command as a process group leader; the signal reached the whole group, sleep included.
    await waitUntil("the cancelled command's process group is gone", () => processesInGroup(pid).length === 0);
    // The connection survives a cancelled command.
    expect((await collect(session, 'echo still-here')).stdout).toBe('still-here\n');
  });

  it('does not even open a channel when already aborted', async () => {
    await expect(harness().session().exec('true', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('SFTP and forwarding', () => {
  it('puts and gets a file round trip', async () => {
    const session = harness().session();
    const content = randomBytes(1024 * 1024 + 17);
    const local = join(dir, 'upload.bin');
    await writeFile(local, content);
    const sftp = await session.sftp();
    try {
      await sftp.put(local, `${home}/uploaded.bin`);
      expect(await sftp.stat(`${home}/uploaded.bin`)).toMatchObject({ size: content.length, isFile: true, isDirectory: false });
      await sftp.get(`${home}/uploaded.bin`, join(dir, 'download.bin'));
      expect((await readFile(join(dir, 'download.bin'))).equals(content)).toBe(true);
      await sftp.writeFile(`${home}/small.txt`, 'small');
      expect((await sftp.readFile(`${home}/small.txt`)).toString()).toBe('small');
      await expect(sftp.stat(`${home}/missing`)).rejects.toMatchObject({ code: 'CHANNEL_FAILED' });
    } finally {
      sftp.close();
    }
  });

  it('forwards a loopback port to a TCP service through the tunnel', async () => {
    const echo: Server = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => echo.close(() => resolve())));
    const echoPort = (echo.address() as { port: number }).port;
    const session = harness().session();
    const forward = await session.forwardLocal({ remoteHost: '127.0.0.1', remotePort: echoPort });
    expect(forward.host).toBe('127.0.0.1');
    const roundTrip = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(forward.port, '127.0.0.1', () => socket.end(text));
        let received = '';
        socket.on('data', (d) => (received += d.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
    expect(await Promise.all([roundTrip('first'), roundTrip('second'), roundTrip('x'.repeat(200_000))])).toEqual(['first', 'second', 'x'.repeat(200_000)]);
    await forward.close();
    await expect(roundTrip('after close')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('reaches a node through a jump host', async () => {
    const h = harness();
    const jump = h.session();
    const behind = h.session({ jump });
    expect((await collect(behind, 'echo via-jump')).stdout).toBe('via-jump\n');
    expect(jump.state).toBe('connected');
  });
});

// ssh2 is patched (patches/ssh2+1.17.0.patch) to reuse a packet's memory once the socket has written it: a packet
// reused too early would reach sshd with other bytes than its MAC covers, and sshd would drop the connection.
describe('bulk data with pooled packet memory', () => {
  const streamed = (bytes: number): { stdin: Readable; sha256: Promise<string> } => {
    const hash = createHash('sha256');
    let left = bytes;
    const stdin = new Readable({
      read() {
        if (left === 0) return void this.push(null);
        const chunk = randomBytes(Math.min(left, 1024 * 1024 + 13));
        left -= chunk.length;
        hash.update(chunk);
        this.push(chunk);
      },
    });
    return { stdin, sha256: new Promise((resolve) => stdin.once('end', () => resolve(hash.digest('hex')))) };
  };
  const remoteSha256 = async (session: SshSession, bytes: number): Promise<{ sent: string; received: string }> => {
    const { stdin, sha256 } = streamed(bytes);
    let stdout = '';
    const result = await session.exec('sha256sum', { stdin, onStdout: (c) => (stdout += c.toString()) });
    expect(result).toEqual({ exitCode: 0, signal: null });
    return { sent: await sha256, received: stdout.split(' ')[0] ?? '' };
  };

  it('carries 64 MiB through a channel byte for byte, over a TCP socket and through a jump host', async () => {
    const h = harness();
    const direct = h.session();
    const direct64 = await remoteSha256(direct, 64 * 1024 * 1024);
    expect(direct64.received).toBe(direct64.sent);
    const behind = h.session({ jump: direct });
    const jumped = await remoteSha256(behind, 16 * 1024 * 1024);
    expect(jumped.received).toBe(jumped.sent);
    expect(direct.state).toBe('connected');
  });
});

describe('connection life', () => {
  it('reconnects on next use after the server dropped the connection', async () => {
    const session = harness().session();
    const states: string[] = [];
    session.onStateChange((state) => states.push(state));
    expect((await collect(session, 'echo one')).stdout).toBe('one\n');
    sshd.dropConnections();
    await waitUntil('the session noticed the drop', () => session.state === 'disconnected');
    expect((await collect(session, 'echo two')).stdout).toBe('two\n');
    expect(states).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('reports a command cut by a dropped connection as DISCONNECTED', async () => {
    const session = harness().session();
    const running = session.exec('echo started; sleep 30', { onStdout: () => sshd.dropConnections() });
    await expect(running).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('shares one session per profile and node in the pool', async () => {
    const h = harness();
    const pool = new SshPool({ knownHosts: h.knownHosts, secrets: secrets(), logger: silentLogger, confirmHostKey: async () => true });
    cleanups.push(() => pool.closeAll());
    const target: SshTarget = { host: '127.0.0.1', port: sshd.port, username: user, auth: keyAuth() };
    const a = pool.session({ profileId: 'p1', node: 'n1' }, target);
    expect(pool.session({ profileId: 'p1', node: 'n1' }, { ...target })).toBe(a);
    expect(pool.session({ profileId: 'p1', node: 'n2' }, target)).not.toBe(a);
    await a.connect();
    const edited = pool.session({ profileId: 'p1', node: 'n1' }, { ...target, auth: { method: 'agent', socketPath: '/nonexistent' } });
    expect(edited).not.toBe(a);
    await waitUntil('the replaced session closed', () => a.state === 'closed');
    await pool.closeProfile('p1');
    expect(edited.state).toBe('closed');
  });
});

describe('authentication', () => {
  it('uses an encrypted private key whose passphrase comes from the SecretStore', async () => {
    const session = harness().session({
      auth: { method: 'key-file', privateKeyPath: keys.encrypted, passphraseSecret: secretKeys.sshPassphrase('encrypted') },
    });
    expect((await collect(session, 'id -un')).stdout).toBe(`${user}\n`);
  });

  it('says when the passphrase is missing or wrong, before connecting', async () => {
    const h = harness();
    await expect(h.session({ auth: { method: 'key-file', privateKeyPath: keys.encrypted } }).connect()).rejects.toMatchObject({
      code: 'KEY_UNUSABLE',
      message: expect.stringContaining('no passphrase is stored'),
    });
    await expect(
      h.session({ auth: { method: 'key-file', privateKeyPath: keys.encrypted, passphraseSecret: secretKeys.sshPassword('pw') } }).connect(),
    ).rejects.toMatchObject({ code: 'KEY_UNUSABLE', message: expect.stringContaining('is wrong') });
    await expect(h.session({ auth: { method: 'key-file', privateKeyPath: join(dir, 'nope') } }).connect()).rejects.toMatchObject({
      code: 'KEY_UNUSABLE',
      message: expect.stringContaining('must be a readable regular file'),
    });
  });

  it('logs in with a key held by a real ssh-agent, found through SSH_AUTH_SOCK', async () => {
    const agent = await startSshAgent(dir, [keys.agent]);
    cleanups.push(() => agent.stop());
    const session = harness(true, { SSH_AUTH_SOCK: agent.socket }).session({ auth: { method: 'agent' } });
    expect((await collect(session, 'id -un')).stdout).toBe(`${user}\n`);
    await expect(
      harness(true, {})
        .session({ auth: { method: 'agent' } })
        .connect(),
    ).rejects.toMatchObject({ code: 'NO_AGENT' });
  });

  it('logs in with a password from the SecretStore, and reports a wrong or missing one', async () => {
    const h = harness();
    expect((await collect(h.session({ auth: { method: 'password', passwordSecret: secretKeys.sshPassword('pw') } }), 'id -un')).stdout).toBe(`${user}\n`);
    await secrets().set(secretKeys.sshPassword('wrong'), 'not-the-password');
    await expect(h.session({ auth: { method: 'password', passwordSecret: secretKeys.sshPassword('wrong') } }).connect()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`refused the login of "${user}" by password`),
    });
    await expect(h.session({ auth: { method: 'password', passwordSecret: secretKeys.sshPassword('none') } }).connect()).rejects.toMatchObject({
      code: 'SECRET_MISSING',
    });
  });

  it('rejects a key the server does not know as AUTH_FAILED', async () => {
    const stranger = join(dir, 'id_stranger');
    await generateKey(stranger);
    await expect(
      harness()
        .session({ auth: { method: 'key-file', privateKeyPath: stranger } })
        .connect(),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });
});

describe('network failures', () => {
  it('reports a closed port as UNREACHABLE', async () => {
    const port = await freeTcpPort();
    await expect(harness().session({ port }).connect()).rejects.toMatchObject({ code: 'UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('reports a server that never answers as TIMEOUT', async () => {
    const accepted: Socket[] = [];
    const silent = createServer((socket) => void accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          for (const socket of accepted) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const port = (silent.address() as { port: number }).port;
    await expect(harness().session({ port, readyTimeoutMs: 500 }).connect()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
