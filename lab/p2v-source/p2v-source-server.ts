/**
 * The lab's "physical server" for P2V: a real OpenSSH sshd on 127.0.0.1 letting root in by password and by key,
 * run in a private mount namespace where /dev/sda is a disk FILE (a small GPT disk with data at known offsets)
 * and a few tools and files answer as an old Dell server would (see fake-answers.ts and lab/README.md). Nothing
 * it mounts is seen outside; sshd dies with this process (setpriv's parent-death signal) and the namespace with it.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scatteredExtents, writeTestDisk, type TestDisk } from '../../electron/services/p2v/testing';
import { fingerprintOf, keyPairAt, startOpenSshServer } from '../ssh/openssh-server';
import { fakeFstab, fakeTools, noPerl } from './fake-answers';

const PRIVATE_ROOT = fileURLToPath(new URL('./private-root.sh', import.meta.url));

export interface P2vSourceServer {
  host: string;
  port: number;
  user: 'root';
  /** root's password on this server only (generated per start). */
  password: string;
  /** A key root accepts (no passphrase). */
  privateKeyPath: string;
  hostKeyFingerprint: string;
  /** The device the server shows, and the file behind it. */
  device: '/dev/sda';
  disk: TestDisk;
  /** root's `~/.ssh/authorized_keys` (`/root/.ssh/authorized_keys` inside), where the capture adds its temporary key. */
  authorizedKeysPath: string;
  close(): Promise<void>;
}

export interface P2vSourceServerOptions {
  /** A folder of its own: disk, keys, config, root's home, the fake files. */
  dir: string;
  /** Size of the disk file; default 64 MiB. */
  diskBytes?: number;
  /** False: `perl` fails as on a minimal server without it (default true). */
  perl?: boolean;
  /**
   * True: sshd reads root's keys from a file of its own only, not ~/.ssh/authorized_keys (as where keys are
   * managed centrally), so a key added there lets nobody in.
   */
  ignoresHomeKeys?: boolean;
}

/** `/etc/shadow` with root's password hash replaced: sshd checks passwords there (no PAM), inside the namespace only. */
async function shadowWithRootPassword(password: string): Promise<string> {
  const hash = await new Promise<string>((resolve, reject) => {
    const child = spawn('openssl', ['passwd', '-6', '-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`openssl passwd exited ${code}`))));
    child.stdin.end(`${password}\n`);
  });
  const lines = readFileSync('/etc/shadow', 'utf8').split('\n');
  return lines.map((line) => (line.startsWith('root:') ? ['root', hash, ...line.split(':').slice(2)].join(':') : line)).join('\n');
}

export async function startP2vSourceServer(options: P2vSourceServerOptions): Promise<P2vSourceServer> {
  const { dir } = options;
  const diskBytes = options.diskBytes ?? 64 * 1024 * 1024;
  const home = join(dir, 'root-home');
  const sbin = join(dir, 'sbin');
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await mkdir(sbin, { recursive: true, mode: 0o755 });
  const password = randomBytes(12).toString('base64url');
  const [disk, hostKey, clientKey, shadow] = await Promise.all([
    writeTestDisk(join(dir, 'disk.img'), { size: diskBytes, partitionTable: 'gpt', extents: scatteredExtents(diskBytes) }),
    keyPairAt(join(dir, 'ssh_host_ed25519_key'), 'root@srv-legacy01'),
    keyPairAt(join(dir, 'id_ed25519'), 'lab@p2v-source'),
    shadowWithRootPassword(password),
  ]);
  const authorizedKeysPath = join(home, '.ssh', 'authorized_keys');
  const serverKeysPath = join(dir, 'authorized_keys');
  for (const path of [authorizedKeysPath, serverKeysPath]) await writeFile(path, `${clientKey.publicKey}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'shadow'), shadow, { mode: 0o600 });
  await writeFile(join(dir, 'fstab'), fakeFstab, { mode: 0o644 });
  if (options.perl === false) await writeFile(join(dir, 'no-perl'), noPerl, { mode: 0o755 });
  for (const [name, script] of Object.entries(fakeTools(diskBytes))) {
    await writeFile(join(sbin, name), script);
    await chmod(join(sbin, name), 0o755);
  }
  const server = await startOpenSshServer({
    dir,
    name: 'sshd',
    hostKey: hostKey.privateKeyPath,
    // Relative to the home: the /root bound inside, where the P2V capture adds and removes its temporary key.
    authorizedKeysFile: options.ignoresHomeKeys === true ? serverKeysPath : '.ssh/authorized_keys',
    launcher: ['unshare', '--mount', '--uts', '--propagation', 'private', '--', 'sh', PRIVATE_ROOT, dir],
    directives: [
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'PubkeyAuthentication yes',
      'AllowUsers root',
      'AllowTcpForwarding no',
      'X11Forwarding no',
      'PrintMotd no',
      'PrintLastLog no',
      'LogLevel VERBOSE',
    ],
  });
  return {
    host: '127.0.0.1',
    port: server.port,
    user: 'root',
    password,
    privateKeyPath: clientKey.privateKeyPath,
    hostKeyFingerprint: fingerprintOf(hostKey.publicKey),
    device: '/dev/sda',
    disk,
    authorizedKeysPath,
    close: () => server.stop(),
  };
}
