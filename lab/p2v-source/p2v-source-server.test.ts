import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../ssh/openssh-server';
import { startP2vSourceServer, type P2vSourceServer } from './p2v-source-server';

/** Runs one command as root on the server, logged in by password or key, the host key checked; answers stdout. */
async function run(
  server: P2vSourceServer,
  command: string,
  login: { password: string } | { privateKey: Buffer },
): Promise<{ code: number | null; stdout: Buffer }> {
  const client = new Client();
  let presented = '';
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      host: server.host,
      port: server.port,
      username: 'root',
      ...login,
      hostVerifier: (key: Buffer) => {
        presented = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return presented === server.hostKeyFingerprint;
      },
    });
  });
  try {
    return await new Promise((resolve, reject) => {
      client.exec(command, (error, channel) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        let code: number | null = null;
        channel.on('data', (chunk: Buffer) => chunks.push(chunk));
        channel.stderr.resume();
        channel.on('exit', (exit: number | null) => (code = exit));
        channel.on('close', () => resolve({ code, stdout: Buffer.concat(chunks) }));
      });
    });
  } finally {
    client.end();
  }
}

describe('the P2V source server (a "physical" Linux server whose disk is a file)', () => {
  let dir: string;
  let server: P2vSourceServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pvelab-p2v-source-'));
    server = await startP2vSourceServer({ dir, diskBytes: 48 * 1024 * 1024 });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets root in by password and reads the disk file as /dev/sda', async () => {
    const sha = createHash('sha256').update(readFileSync(server.disk.path)).digest('hex');
    const read = await run(server, 'dd if=/dev/sda bs=1M status=none | sha256sum', { password: server.password });
    expect(read.code).toBe(0);
    expect(read.stdout.toString().split(' ')[0]).toBe(sha);
  });

  it('lets root in by key, answers as srv-legacy01 with the fake lsblk, fstab and packages', async () => {
    const privateKey = readFileSync(server.privateKeyPath);
    const answer = await run(server, 'hostname; lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,PTTYPE,MOUNTPOINTS,FSTYPE; cat /etc/fstab; dpkg-query -W', {
      privateKey,
    });
    const text = answer.stdout.toString();
    expect(text.startsWith('srv-legacy01\n')).toBe(true);
    expect(text).toContain(`"size": ${48 * 1024 * 1024}`);
    expect(text).toContain('/dev/sda1 / ext4');
    expect(text).toContain('srvadmin-all');
  });

  it('keeps all of it inside its namespace: no mount of the disk on the host, its own fstab and hostname', async () => {
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(server.disk.path);
    expect(readFileSync('/etc/fstab', 'utf8')).not.toContain('/dev/sda1 / ext4 errors=remount-ro');
    expect(fingerprintOf(readFileSync(join(dir, 'ssh_host_ed25519_key.pub'), 'utf8'))).toBe(server.hostKeyFingerprint);
  });
});
