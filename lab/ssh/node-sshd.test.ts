/**
 * The node sshd with the real OpenSSH client: first on its own, then inside a
 * running lab, where `qm disk import` must land a byte-identical disk.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startLab, type RunningLab } from '../api/lab-harness';
import type { NodeSshd } from './node-sshd';
import { startNodeSshd } from './node-sshd';

const run = promisify(execFile);

interface SshTarget {
  port: number;
  user: string;
  key: string;
  knownHosts: string;
}

interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real OpenSSH client, with only the lab's key and a known_hosts file of the test's own. */
function ssh(target: SshTarget, command: string, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<SshResult> {
  const args = [
    '-p',
    String(target.port),
    '-i',
    target.key,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    `UserKnownHostsFile=${target.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    ...(options.args ?? ['-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes']),
    `${target.user}@127.0.0.1`,
    command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** First contact, as a user accepting a new host: returns the host key fingerprint the client was shown. */
async function firstContact(target: SshTarget): Promise<string> {
  const result = await ssh(target, 'true', { args: ['-v', '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes'] });
  expect(result.code, result.stderr).toBe(0);
  const shown = /Server host key: ssh-ed25519 (SHA256:[A-Za-z0-9+/]+)/.exec(result.stderr)?.[1];
  if (!shown) throw new Error(`no host key in ssh -v output:\n${result.stderr}`);
  return shown;
}

/** Processes whose command line contains `text`. */
function processesWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitUntil(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('node sshd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-node-sshd-'));
  const stateDir = join(dir, 'pve7', 'ssh');
  const env = {
    LAB_NODE: 'pve7',
    LAB_API: 'https://127.0.0.1:8006',
    LAB_TOKEN: 'root@pam!lab=0000',
    LAB_CACERT: join(dir, 'ca.pem'),
    LAB_STORAGE_LOCAL: join(dir, 'a folder', 'local'),
  };
  let sshd: NodeSshd;
  let target: SshTarget;

  beforeAll(async () => {
    sshd = await startNodeSshd({ node: 'pve7', stateDir, env });
    target = { port: sshd.port, user: sshd.user, key: sshd.privateKeyPath, knownHosts: join(dir, 'known_hosts') };
  });

  afterAll(async () => {
    await sshd?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the client the host key whose fingerprint it reports, and logs root in with the lab key', async () => {
    expect(sshd.user).toBe('root');
    expect(sshd.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await firstContact(target)).toBe(sshd.hostKeyFingerprint);
    // From now on the host key is pinned: StrictHostKeyChecking=yes.
    const whoami = await ssh(target, 'id -un');
    expect(whoami).toMatchObject({ code: 0, stdout: 'root\n' });
  });

  it('refuses passwords: only publickey is offered, and the client is never asked for one', async () => {
    const asked = join(dir, 'password-asked');
    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\necho asked >> '${asked}'\necho not-the-password\n`, { mode: 0o755 });
    const result = await ssh(target, 'true', {
      args: [
        '-v',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'PubkeyAuthentication=no',
        '-o',
        'PreferredAuthentications=password,keyboard-interactive',
        '-o',
        'NumberOfPasswordPrompts=1',
      ],
      env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
    });
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/Authentications that can continue: publickey\r?\n/);
    expect(result.stderr).toMatch(/Permission denied \(publickey\)/);
    expect(existsSync(asked)).toBe(false);
  });

  it('gives sessions the LAB_* environment and a PATH with the lab bin (qm) first and the real qemu-img', async () => {
    const result = await ssh(target, 'env; echo "path=$PATH"; echo "qm=$(command -v qm)"; echo "img=$(command -v qemu-img)"; qemu-img --version');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    for (const [name, value] of Object.entries(env)) expect(lines).toContain(`${name}=${value}`);
    const first = /^path=([^:\n]+)/m.exec(result.stdout)?.[1] ?? '';
    expect(lines).toContain(`qm=${join(first, 'qm')}`);
    expect(lines).toContain('img=/usr/bin/qemu-img');
    expect(result.stdout).toMatch(/^qemu-img version \d+\.\d+/m);
  });

  it("gives root the node's own home, so the workstation's ~/.bashrc is not run by every command", async () => {
    const home = join(stateDir, 'root-home');
    writeFileSync(join(home, '.bashrc'), 'echo node-bashrc-read >&2\n');
    try {
      const result = await ssh(target, 'echo "home=$HOME"');
      expect(result).toMatchObject({ code: 0, stdout: `home=${home}\n` });
      // The node's own start-up file is the one bash read, as a PVE node's root would have.
      expect(result.stderr).toContain('node-bashrc-read');
    } finally {
      rmSync(join(home, '.bashrc'));
    }
  });

  it('keeps its host key and client key across restarts', async () => {
    const before = { fingerprint: sshd.hostKeyFingerprint, key: readFileSync(sshd.privateKeyPath, 'utf8') };
    await sshd.close();
    sshd = await startNodeSshd({ node: 'pve7', stateDir, env });
    target = { ...target, port: sshd.port };
    expect(sshd.hostKeyFingerprint).toBe(before.fingerprint);
    expect(readFileSync(sshd.privateKeyPath, 'utf8')).toBe(before.key);
    expect(await firstContact(target)).toBe(before.fingerprint);
  });

  it('close() stops the listener and the sessions still running', async () => {
    const marker = `sleep ${1000 + (randomBytes(2).readUInt16BE(0) % 1000)}.${randomBytes(2).readUInt16BE(0)}`;
    const session = ssh(target, marker);
    const config = join(stateDir, 'sshd_config');
    await waitUntil('the session command runs', () => processesWith(marker).length > 0);
    expect(processesWith(config).length).toBeGreaterThan(0);
    await sshd.close();
    await waitUntil('no sshd or session process left', () => processesWith(marker).length === 0 && processesWith(config).length === 0, 2000);
    const ended = await session;
    expect(ended.code).toBe(255);
  });
});

describe('qm over the node sshd of a running lab', () => {
  let lab: RunningLab;
  let node: SshTarget & { fingerprint: string };
  let work: string;
  const vmid = 100;

  beforeAll(async () => {
    lab = await startLab(['--onboot', '0']);
    work = mkdtempSync(join(tmpdir(), 'lab-qm-'));
    const pve1 = lab.ready.clusters[0]?.nodes.find((n) => n.name === 'pve1');
    // LAB READY carries the host key fingerprint beside the login (lab-harness types only what its own tests read).
    const info = pve1?.ssh as { port: number; user: string; key: string; hostKeyFingerprint: string } | undefined;
    if (!info) throw new Error(`no ssh for pve1 in LAB READY: ${JSON.stringify(pve1)}`);
    node = { port: info.port, user: info.user, key: info.key, knownHosts: join(work, 'known_hosts'), fingerprint: info.hostKeyFingerprint };
  });

  afterAll(async () => {
    await lab?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    if (lab) await waitUntil('no lab process left (sshd, qemu)', () => processesWith(lab.ready.stateDir).length === 0, 2000);
  });

  it('runs an sshd per node whose host key LAB READY names', async () => {
    expect(lab.ready.clusters[0]?.nodes.every((n) => n.ssh !== undefined)).toBe(true);
    expect(await firstContact(node)).toBe(node.fingerprint);
    const result = await ssh(
      node,
      'echo "$LAB_NODE $LAB_API"; test -d "$LAB_STORAGE_LOCAL" && test -d "$LAB_STORAGE_SHARED" && test -f "$LAB_CACERT" && echo folders-ok',
    );
    expect(result.stdout).toBe(`pve1 ${lab.api}\nfolders-ok\n`);
  });

  it('imports a qcow2 made with qemu-img as the next unused disk, byte-identical', async () => {
    const raw = join(work, 'source.raw');
    const source = join(work, 'source.qcow2');
    const content = Buffer.alloc(24 * 1024 * 1024);
    for (const offset of [0, 5 * 1024 * 1024, 23 * 1024 * 1024]) randomBytes(512 * 1024).copy(content, offset);
    writeFileSync(raw, content);
    await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, source]);
    const auth = { token: lab.ready.accounts.token.value };
    const before = (await call(lab, 'GET', `/nodes/pve1/qemu/${vmid}/config`, { auth })).body.data as Record<string, string>;

    const result = await ssh(node, `qm disk import ${vmid} '${source}' local --format qcow2`);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`importing disk '${source}' to VM ${vmid} ...`);
    expect(lines).toContain('transferred 24.0 MiB of 24.0 MiB (100.00%)');
    const imported = /^(unused\d+): successfully imported disk '(local:(\d+)\/(vm-\d+-disk-\d+\.qcow2))'$/.exec(lines.at(-1) ?? '');
    if (!imported) throw new Error(`unexpected qm output:\n${result.stdout}`);
    const [, key = '', volid = '', owner = '', file = ''] = imported;
    expect(Number(owner)).toBe(vmid);

    const after = (await call(lab, 'GET', `/nodes/pve1/qemu/${vmid}/config`, { auth })).body.data as Record<string, string>;
    expect(before[key]).toBeUndefined();
    expect(after[key]).toBe(volid);
    // Nothing else changed: the volume is not left attached anywhere.
    const { [key]: added, digest: newDigest, ...rest } = after;
    const { digest: oldDigest, ...was } = before;
    expect(added).toBe(volid);
    expect(newDigest).not.toBe(oldDigest);
    expect(rest).toEqual(was);

    const storageDir = (await ssh(node, 'printf %s "$LAB_STORAGE_LOCAL"')).stdout;
    const target = join(storageDir, 'images', owner, file);
    const compare = await run('qemu-img', ['compare', '-f', 'qcow2', '-F', 'qcow2', source, target]);
    expect(compare.stdout).toMatch(/Images are identical/);
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', target])).stdout) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': content.length });

    const shown = await ssh(node, `qm config ${vmid}`);
    expect(shown.stdout.split('\n')).toContain(`${key}: ${volid}`);
    const listed = await ssh(node, 'qm list');
    expect(listed.stdout).toMatch(new RegExp(`^\\s+${vmid} debian-lab\\s+stopped\\s`, 'm'));
  });

  it('fails clearly, with a non-zero exit, for a VM that does not exist on the node', async () => {
    const source = join(work, 'source.qcow2');
    const result = await ssh(node, `qm disk import 99999 '${source}' local`);
    expect(result.code).toBe(255);
    expect(result.stderr.trim()).toBe("Configuration file 'nodes/pve1/qemu-server/99999.conf' does not exist");
    expect(result.stdout).toBe('');
    // VM 101 lives on pve2: pve1's qm does not see it either, as on PVE.
    const elsewhere = await ssh(node, `qm disk import 101 '${source}' local`);
    expect(elsewhere.code).toBe(255);
    expect(elsewhere.stderr).toMatch(/qemu-server\/101\.conf' does not exist/);
  });
});
