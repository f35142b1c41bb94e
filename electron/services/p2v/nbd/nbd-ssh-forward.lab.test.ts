/**
 * SshSession.forwardStreamLocal against a lab node's real OpenSSH: the node's real
 * qemu-img reads this process's NBD export through the forwarded unix socket,
 * as the P2V transfer does, and finds nothing there once the forward closed.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstCluster } from '../../../../lab/api/lab-harness';
import { useLab } from '../../../../lab/api/use-lab';
import { silentLogger } from '../../log';
import { EncryptedFileSecretStore } from '../../secrets';
import { KnownHostsStore, SshSession } from '../../ssh';
import { startNbdExport, type NbdFileExport } from '.';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const { lab } = useLab(['--onboot', '0']);

let dir: string;
let session: SshSession;
let nbd: NbdFileExport;
const exportName = randomBytes(16).toString('hex');
const raw = () => join(dir, 'content.raw');

/** Runs a command on the node; answers its stdout, or throws with its stderr. */
async function onNode(command: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  const result = await session.exec(command, { onStdout: (chunk) => (stdout += chunk.toString()), onStderr: (chunk) => (stderr += chunk.toString()) });
  if (result.exitCode !== 0) throw new Error(`${command} exited ${String(result.exitCode)}: ${stderr}`);
  return stdout;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pve-desk-remote-forward-'));
  const file = await open(raw(), 'w');
  await file.truncate(64 * MiB);
  await file.write(randomBytes(3 * MiB), 0, 3 * MiB, 20 * MiB);
  await file.close();
  const qcow2 = join(dir, 'source.qcow2');
  await run('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw(), qcow2], { timeout: 60_000, killSignal: 'SIGKILL' });
  nbd = await startNbdExport({ path: qcow2, exportName });

  const node = firstCluster(lab.ready).nodes[0];
  if (node === undefined) throw new Error('the lab has no node');
  const knownHosts = new KnownHostsStore(join(dir, 'config'), silentLogger);
  await knownHosts.pin(node.ssh.host, node.ssh.port, { fingerprint: node.ssh.hostKeyFingerprint, keyType: 'ssh-ed25519' });
  session = new SshSession(
    { host: node.ssh.host, port: node.ssh.port, username: node.ssh.user, auth: { method: 'key-file', privateKeyPath: node.ssh.key } },
    {
      knownHosts,
      secrets: new EncryptedFileSecretStore(join(dir, 'config'), undefined, silentLogger),
      confirmHostKey: () => Promise.resolve(false),
      logger: silentLogger,
    },
  );
});

afterAll(async () => {
  await session.close();
  await nbd.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SshSession.forwardStreamLocal', () => {
  it("lets the node's qemu-img read the workstation's NBD export through a socket on the node", async () => {
    const socketPath = `/tmp/pve-desk-nbd-${randomBytes(8).toString('hex')}.sock`;
    const forward = await session.forwardStreamLocal(socketPath, (stream) => nbd.serve(stream));
    const opts = `driver=qcow2,file.driver=nbd,file.server.type=unix,file.server.path=${socketPath},file.export=${exportName}`;

    const info = JSON.parse(await onNode(`qemu-img info --output=json --image-opts '${opts}'`)) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * MiB });

    // The lab's node shares this machine's disk: the node writes the copy, this side compares it.
    const copy = join(dir, 'copy.raw');
    await onNode(`qemu-img convert --image-opts '${opts}' -O raw '${copy}'`);
    await run('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', raw(), copy], { timeout: 60_000, killSignal: 'SIGKILL' });
    expect(nbd.sentBytes).toBeGreaterThanOrEqual(3 * MiB);

    await forward.close();
    await expect(onNode(`qemu-img info --output=json --image-opts '${opts}'`)).rejects.toThrow(/exited/);
    // sshd leaves the socket file behind (no StreamLocalBindUnlink): whoever forwarded removes it.
    await onNode(`rm -f '${socketPath}'`);
  });
});
