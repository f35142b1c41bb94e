import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import type { RunningLab } from '../../lab/api/lab-harness';
import { freeTcpPort } from '../../lab/qemu/free-port';
import { silentLogger } from '../../electron/services/log';
import { EncryptedFileSecretStore, createKeyFileEncryptor } from '../../electron/services/secrets';
import { hostKeyFingerprint, KnownHostsStore, type SftpSession, SshSession } from '../../electron/services/ssh';
import { repeat, type BenchCase } from '../measure';

const run = promisify(execFile);
const transferMiB = 64;

/**
 * The app's SSH session (ssh2 underneath, pinned host key) against the
 * library alone for command round trips, and against OpenSSH's own `sftp`
 * and `ssh -L` for bulk transfers: what a P2V upload or a tunnelled console
 * would get compared with the tools an administrator would otherwise use.
 */
export async function sshCases(lab: RunningLab, workDir: string): Promise<{ cases: BenchCase[]; close: () => Promise<void> }> {
  const node = lab.ready.clusters[0]?.nodes[0];
  if (node === undefined) throw new Error('the lab printed no node');
  const { host, port, user, key, hostKeyFingerprint: pinned } = node.ssh;
  const closers: Array<() => Promise<void> | void> = [];

  const knownHosts = new KnownHostsStore(workDir, silentLogger);
  await knownHosts.pin(host, port, { fingerprint: pinned, keyType: 'ssh-ed25519' });
  const session = new SshSession(
    { host, port, username: user, auth: { method: 'key-file', privateKeyPath: key } },
    {
      knownHosts,
      secrets: new EncryptedFileSecretStore(workDir, createKeyFileEncryptor({ keyFile: join(workDir, 'secrets.key') }), silentLogger),
      confirmHostKey: () => Promise.reject(new Error('the lab node key is pinned before the bench; a question means it changed')),
      logger: silentLogger,
    },
  );
  closers.push(() => session.close());

  const rawClient = await connectRawClient(host, port, user, readFileSync(key), pinned);
  closers.push(() => void rawClient.end());

  const openSsh = await openSshArguments(workDir, host, port, user, key, pinned);

  const remoteFile = join(workDir, 'transfer.bin');
  writeFileSync(remoteFile, randomBytes(transferMiB * 1024 * 1024));
  const downloaded = join(workDir, 'downloaded.bin');
  const uploaded = join(workDir, 'uploaded.bin');
  const checkSize = (path: string) => () => {
    if (statSync(path).size !== transferMiB * 1024 * 1024) throw new Error(`${path} is short`);
  };
  const withSftp = async (use: (sftp: SftpSession) => Promise<void>) => {
    const sftp = await session.sftp();
    try {
      await use(sftp);
    } finally {
      sftp.close();
    }
  };

  const sink = await startByteSink();
  closers.push(() => new Promise<void>((resolve) => sink.server.close(() => resolve())));
  const ourForward = await session.forwardLocal({ remoteHost: '127.0.0.1', remotePort: sink.port });
  closers.push(() => ourForward.close());
  const peerForwardPort = await freeTcpPort();
  const peerForward = spawn(
    'ssh',
    [...openSsh, '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${peerForwardPort}:127.0.0.1:${sink.port}`, `${user}@${host}`],
    { stdio: 'ignore' },
  );
  closers.push(() => stopChild(peerForward));
  await waitForListener(peerForwardPort);

  const commands = 10;
  return {
    cases: [
      {
        name: 'SSH exec `true` (round trip on an open connection)',
        amount: { count: commands, unit: 'call' },
        ours: { label: 'SshSession', run: repeat(commands, () => session.exec('true')) },
        peer: { label: 'ssh2 Client alone', run: repeat(commands, () => execRaw(rawClient, 'true')) },
        maxRatio: 1.3,
      },
      {
        name: `SFTP upload of ${transferMiB} MiB`,
        amount: { count: transferMiB, unit: 'MiB' },
        ours: { label: 'SftpSession', run: () => withSftp((sftp) => sftp.put(remoteFile, uploaded)).then(checkSize(uploaded)) },
        peer: {
          label: 'OpenSSH sftp',
          run: () => runWithInput('sftp', [...openSsh, '-b', '-', `${user}@${host}`], `put ${remoteFile} ${uploaded}\n`).then(checkSize(uploaded)),
        },
        maxRatio: 1.5,
      },
      {
        name: `SFTP download of ${transferMiB} MiB`,
        amount: { count: transferMiB, unit: 'MiB' },
        ours: { label: 'SftpSession', run: () => withSftp((sftp) => sftp.get(remoteFile, downloaded)).then(checkSize(downloaded)) },
        peer: {
          label: 'OpenSSH sftp',
          run: () => runWithInput('sftp', [...openSsh, '-b', '-', `${user}@${host}`], `get ${remoteFile} ${downloaded}\n`).then(checkSize(downloaded)),
        },
        maxRatio: 1.5,
      },
      {
        name: `Local port forward, ${transferMiB} MiB through the tunnel`,
        amount: { count: transferMiB, unit: 'MiB' },
        ours: { label: 'SshSession.forwardLocal', run: () => pushThrough(ourForward.port, transferMiB) },
        peer: { label: 'OpenSSH ssh -L', run: () => pushThrough(peerForwardPort, transferMiB) },
        maxRatio: 2,
      },
    ],
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}

function connectRawClient(host: string, port: number, username: string, privateKey: Buffer, fingerprint: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ host, port, username, privateKey, hostVerifier: (key: Buffer) => hostKeyFingerprint(key) === fingerprint });
  });
}

function execRaw(client: Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      channel.resume();
      channel.stderr.resume();
      channel.once('close', (code: number | null) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
    });
  });
}

/** OpenSSH client options with the node's host key checked against the fingerprint the lab printed, and no agent or user config. */
export async function openSshArguments(workDir: string, host: string, port: number, user: string, key: string, fingerprint: string): Promise<string[]> {
  const knownHostsFile = join(workDir, 'known_hosts');
  const { stdout: scanned } = await run('ssh-keyscan', ['-t', 'ed25519', '-p', String(port), host]);
  writeFileSync(knownHostsFile, scanned);
  const { stdout: listed } = await run('ssh-keygen', ['-lf', knownHostsFile]);
  if (!listed.includes(fingerprint)) throw new Error(`ssh-keyscan saw another host key than the lab printed (${fingerprint}):\n${listed}`);
  // `-o Port=` rather than -p/-P: ssh and sftp spell the flag differently.
  return [
    '-F',
    '/dev/null',
    '-i',
    key,
    '-o',
    `Port=${port}`,
    '-o',
    `User=${user}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    `UserKnownHostsFile=${knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
  ];
}

function runWithInput(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { maxBuffer: 1 << 20 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${command}: ${error.message}\n${stderr}`)) : resolve(),
    );
    child.stdin?.end(input);
  });
}

/** Counts what it is sent and answers the count when the sender has finished, so a transfer is timed until the far end has it all. */
function startByteSink(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      let received = 0;
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('end', () => socket.end(`${received}\n`));
      socket.on('error', () => socket.destroy());
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

function pushThrough(port: number, mebibytes: number): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let answer = '';
    let sent = 0;
    const send = (): void => {
      while (sent < mebibytes) {
        sent++;
        if (!socket.write(chunk)) return void socket.once('drain', send);
      }
      socket.end();
    };
    socket.once('connect', send);
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    socket.once('error', reject);
    socket.once('close', () =>
      Number(answer.trim()) === mebibytes * chunk.length
        ? resolve()
        : reject(new Error(`the far end received ${answer.trim() || 'nothing'} of ${mebibytes * chunk.length} bytes`)),
    );
  });
}

async function waitForListener(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const probe = connect({ host: '127.0.0.1', port }, () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
