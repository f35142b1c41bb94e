/**
 * The sshd of one lab node: a real OpenSSH server that lets root in with the
 * lab's key only, as PVE nodes are administered, and whose sessions find the
 * node's tools (`qm`, the real `qemu-img`) and the LAB_* environment that
 * tells `qm` which API, token and storage folders belong to this node.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { fingerprintOf, keyPairAt, startOpenSshServer } from './openssh-server';

/** One node's OpenSSH server, as LAB READY describes it. */
export interface NodeSshd {
  port: number;
  user: string;
  privateKeyPath: string;
  hostKeyFingerprint: string;
  close(): Promise<void>;
}

export interface NodeSshdOptions {
  node: string;
  /** Keeps the host key and client key across restarts; config, pid file and log go here too. */
  stateDir: string;
  /** Fixed port; absent: a free one. */
  port?: number;
  /**
   * The client key every node of the cluster accepts, as PVE nodes share root's
   * authorized_keys through /etc/pve; absent: a key of this node's own.
   */
  clientKeyPath?: string;
  /** Set in every session (LAB_API, LAB_TOKEN, LAB_CACERT, LAB_NODE, LAB_STORAGE_<ID>). */
  env: Record<string, string>;
}

/** sshd's ForceCommand: puts the node's bin folder (with `qm`) first on PATH after root's start-up files ran. */
const SESSION = fileURLToPath(new URL('./node-session.sh', import.meta.url));
// The session's ForceCommand runs every command, SFTP included, so SFTP must be the external server, not internal-sftp.
const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

/** SetEnv takes `NAME=value` words; a value with spaces is double-quoted, which is all its parser undoes. */
function setEnvWord(name: string, value: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/i.test(name) || /["\n\r]/.test(value)) throw new Error(`cannot pass ${name} through sshd's SetEnv`);
  return /\s/.test(value) ? `${name}="${value}"` : `${name}=${value}`;
}

/** A single-quoted word for the shell sshd runs ForceCommand with. */
const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export async function startNodeSshd(options: NodeSshdOptions): Promise<NodeSshd> {
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const [hostKey, clientKey] = await Promise.all([
    keyPairAt(join(options.stateDir, 'ssh_host_ed25519_key'), `root@${options.node}`),
    keyPairAt(options.clientKeyPath ?? join(options.stateDir, 'id_ed25519'), `lab@${options.node}`),
  ]);
  // The node's root gets a home of its own, as on a fresh PVE node: bash reads ~/.bashrc for every
  // SSH command, and the workstation's (pyenv, cargo…) would cost ~0.5 s a command and change PATH.
  const home = join(options.stateDir, 'root-home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const authorizedKeysFile = join(options.stateDir, 'authorized_keys');
  writeFileSync(authorizedKeysFile, `${clientKey.publicKey}\n`, { mode: 0o600 });
  const server = await startOpenSshServer({
    dir: options.stateDir,
    name: 'sshd',
    hostKey: hostKey.privateKeyPath,
    authorizedKeysFile,
    ...(options.port === undefined ? {} : { port: options.port }),
    directives: [
      'AuthenticationMethods publickey',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowUsers root',
      'PermitUserEnvironment no',
      'PrintMotd no',
      'PrintLastLog no',
      'AllowTcpForwarding yes',
      'X11Forwarding no',
      `SetEnv ${Object.entries({ ...options.env, HOME: home })
        .map(([name, value]) => setEnvWord(name, value))
        .join(' ')}`,
      `ForceCommand ${shellQuote(SESSION)}`,
      `Subsystem sftp ${SFTP_SERVER}`,
      'LogLevel VERBOSE',
    ],
  });
  return {
    port: server.port,
    user: 'root',
    privateKeyPath: clientKey.privateKeyPath,
    hostKeyFingerprint: fingerprintOf(hostKey.publicKey),
    close: () => server.stop(),
  };
}
