import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { P2vArtifact } from '../../../../shared/domain/p2v';
import { firstCluster, waitFor } from '../../../../lab/api/lab-harness';
import { useLab } from '../../../../lab/api/use-lab';
import { startP2vSourceServer, type P2vSourceServer } from '../../../../lab/p2v-source/p2v-source-server';
import { fingerprintOf } from '../../../../lab/ssh/openssh-server';
import { silentLogger } from '../../log';
import { createKeyFileEncryptor, EncryptedFileSecretStore, secretKeys } from '../../secrets';
import { KnownHostsStore, SshSession } from '../../ssh';
import { createRawStaging, makeWorkDir, stagingParent, writtenExtentEnd } from '../node';
import { SshSourceService, type SshSource } from '.';

/**
 * The SSH source against the lab's "physical server" (a real sshd whose /dev/sda is a file) and a lab node's real
 * sshd: probe, inspect, capture by both routes into a staging file on the node, resume after an interruption,
 * digests on both sides, the temporary key gone afterwards, and an LVM snapshot refused without lvcreate.
 */
const { lab } = useLab(['--nodes', '1', '--onboot', '0']);
const MiB = 1024 * 1024;

describe('the SSH source against the lab', () => {
  let dir: string;
  let server: P2vSourceServer;
  let node: SshSession;
  let service: SshSourceService;
  let secrets: EncryptedFileSecretStore;
  let source: SshSource;
  const questions: { host: string; port: number; fingerprint: string }[] = [];
  /** The host keys the user recognises: the servers' own. */
  const trusted = new Set<string>();
  const nodeRef = { profileId: 'lab', node: 'pve1' };

  /** A fresh work dir and sparse staging file of the disk's size on the node (its storage is a folder of this machine). */
  async function staging(size = server.disk.size): Promise<{ workDir: string; staging: string }> {
    const workDir = await makeWorkDir(node, await stagingParent(node, 'local'));
    const path = `${workDir}/staging.raw`;
    await createRawStaging(node, path, size);
    return { workDir, staging: path };
  }

  const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2v-ssh-source-'));
    // Large enough that an interruption at 20 MiB stops the copy well before its end, whatever is in flight.
    server = await startP2vSourceServer({ dir: join(dir, 'source'), diskBytes: 256 * MiB });
    trusted.add(server.hostKeyFingerprint);
    const configDir = join(dir, 'config');
    const logger = silentLogger;
    secrets = new EncryptedFileSecretStore(configDir, createKeyFileEncryptor({ keyFile: join(dir, 'secrets.key') }), logger);
    const knownHosts = new KnownHostsStore(configDir, logger);
    const pve1 = firstCluster(lab.ready).nodes[0];
    if (pve1 === undefined) throw new Error('the lab has no node');
    await knownHosts.pin(pve1.ssh.host, pve1.ssh.port, { fingerprint: pve1.ssh.hostKeyFingerprint, keyType: 'ssh-ed25519' });
    node = new SshSession(
      { host: pve1.ssh.host, port: pve1.ssh.port, username: 'root', auth: { method: 'key-file', privateKeyPath: pve1.ssh.key } },
      { knownHosts, secrets, confirmHostKey: () => Promise.resolve(false), logger },
    );
    service = new SshSourceService({
      sessions: { ssh: () => Promise.resolve(node) },
      knownHosts,
      secrets,
      // The user looks at the fingerprint and accepts the server's own key only.
      confirmHostKey: (question) => {
        questions.push(question);
        return Promise.resolve(trusted.has(question.fingerprint));
      },
      logger,
    });
  });

  afterAll(async () => {
    await node?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in by password (the host key asked once), keeps the password in the secret store only, and reads the figures and checklist', async () => {
    const address = { host: server.host, port: server.port, username: 'root' };
    const { credentialId, facts } = await service.probe(address, { method: 'password', password: server.password });
    source = { kind: 'ssh', address, credentialId, device: server.device, route: 'auto' };
    expect(questions).toEqual([expect.objectContaining({ host: server.host, port: server.port, fingerprint: server.hostKeyFingerprint })]);
    expect(await secrets.get(secretKeys.p2vSourcePassword(credentialId))).toBe(server.password);
    expect(JSON.stringify(facts)).not.toContain(server.password);
    expect(facts).toMatchObject({
      hostname: 'srv-legacy01',
      disks: [{ device: '/dev/sda', sizeBytes: server.disk.size, model: 'PERC H730P Mini', partitionTable: 'gpt', mounted: ['/'] }],
      nics: [
        { name: 'eno1', mac: '18:66:da:5e:2c:10' },
        { name: 'eno2', mac: '18:66:da:5e:2c:11' },
      ],
      lvm: [],
    });
    expect(facts.cpus).toBeGreaterThan(0);
    expect(facts.memoryBytes).toBeGreaterThan(0);
    expect(facts.os).not.toBe('');
    const checklist = Object.fromEntries(facts.checklist.map((item) => [item.id, item]));
    expect(checklist['fstab-stable-names']).toMatchObject({ status: 'warning', summary: { params: { devices: '/dev/sda1' } } });
    expect(checklist['vendor-agents']).toMatchObject({ status: 'warning', summary: { params: { packages: 'srvadmin-all, srvadmin-idrac, bacula-fd' } } });
    expect(checklist['nic-names']).toMatchObject({ status: 'warning', summary: { params: { nics: 'eno1, eno2' } } });
    expect(checklist['virtio-initramfs']?.status).toBe('warning');
  });

  it('refuses a wrong password and forgets it', async () => {
    const forgotten: string[] = [];
    const deleteAll = secrets.deleteAll.bind(secrets);
    secrets.deleteAll = (prefix) => {
      forgotten.push(prefix);
      return deleteAll(prefix);
    };
    try {
      await expect(service.probe(source.address, { method: 'password', password: 'wrong-password' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    } finally {
      secrets.deleteAll = deleteAll;
    }
    expect(forgotten).toEqual([expect.stringMatching(/^p2v\/source\/[0-9a-f]{32}$/)]);
    expect(await secrets.has(`${forgotten[0] ?? ''}/password`)).toBe(false);
    expect(await secrets.get(secretKeys.p2vSourcePassword(source.credentialId))).toBe(server.password);
  });

  it('forgets at close the logins of probes no migration took, and keeps the ones migrations claimed', async () => {
    const abandoned = await service.probe(source.address, { method: 'password', password: server.password });
    const taken = await service.probe(source.address, { method: 'password', password: server.password });
    service.claim(taken.credentialId);
    // The rest of this file migrates with the first probe's login.
    service.claim(source.credentialId);
    await service.close();
    expect(await secrets.has(secretKeys.p2vSourcePassword(abandoned.credentialId))).toBe(false);
    expect(await secrets.has(secretKeys.p2vSourceAuth(abandoned.credentialId))).toBe(false);
    expect(await secrets.get(secretKeys.p2vSourcePassword(taken.credentialId))).toBe(server.password);
    expect(await secrets.get(secretKeys.p2vSourcePassword(source.credentialId))).toBe(server.password);
    await service.forgetCredential(taken.credentialId);
    expect(await secrets.has(secretKeys.p2vSourcePassword(taken.credentialId))).toBe(false);
  });

  it('inspects the device: raw, its size and GPT, and warns that a hot capture of a mounted device is crash-consistent at best', async () => {
    const inspection = await service.inspect(source, nodeRef, new AbortController().signal);
    expect(inspection).toMatchObject({ format: 'raw', virtualSize: server.disk.size, partitionTable: 'gpt' });
    expect(inspection.warnings).toEqual([{ key: 'p2v.warning.hotCaptureMounted', params: { device: '/dev/sda', mounts: '/' } }]);
  });

  it('captures straight from the server to the node with a temporary key, verified, the key gone afterwards', async () => {
    const target = await staging();
    const recorded: P2vArtifact[] = [];
    let lastDone = 0;
    const { wireBytes } = await service.capture({
      source: { ...source, route: 'direct' },
      node: nodeRef,
      ...target,
      fromOffset: 0,
      signal: new AbortController().signal,
      record: (artifact) => {
        recorded.push(artifact);
        return Promise.resolve();
      },
      onProgress: (done) => (lastDone = done),
    });
    expect(wireBytes).toBe(server.disk.size);
    expect(lastDone).toBe(server.disk.size);
    expect(recorded).toEqual([{ kind: 'ssh-key', ref: expect.stringMatching(/^pve-desk-p2v-[0-9a-f]{12}$/), node: 'pve1' }]);
    // The node logged in with its temporary key (sshd names the key it accepted), and the key is no longer accepted.
    const temporaryKey = fingerprintOf(readFileSync(`${target.workDir}/p2v-source-key.pub`, 'utf8'));
    expect(readFileSync(join(dir, 'source', 'sshd.log'), 'utf8')).toContain(temporaryKey);
    expect(readFileSync(server.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
    expect(readFileSync(`${target.workDir}/p2v-source-known-hosts`, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(sha256(target.staging)).toBe(sha256(server.disk.path));
    const digests = await service.verify({ source, node: nodeRef, staging: target.staging, size: server.disk.size, signal: new AbortController().signal });
    expect(digests.method).toBe('sha256-blocks');
    expect(digests.source).toBe(digests.target);
    // A rollback's cleanup of the key finds nothing left to remove and says nothing.
    await service.cleanup(source, recorded[0] as P2vArtifact);
  });

  it('stops the node\u2019s ssh and dd when a direct capture is cancelled, and takes the key back', async () => {
    const target = await staging();
    const cancel = new AbortController();
    const capture = service.capture({
      source: { ...source, route: 'direct' },
      node: nodeRef,
      ...target,
      fromOffset: 0,
      signal: cancel.signal,
      record: () => Promise.resolve(),
      onProgress: (done) => {
        if (done > 0) cancel.abort();
      },
    });
    await expect(capture).rejects.toMatchObject({ code: 'CANCELLED' });
    // The node is this machine: no process of the copy is left writing the staging file.
    await waitFor('the copy to stop on the node', () => (spawnSync('pgrep', ['-f', target.staging]).status === 1 ? true : undefined), 30_000);
    expect(readFileSync(server.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
  });

  it('captures through this computer, and resumes an interrupted capture from the staged data', async () => {
    const target = await staging();
    const interrupt = new AbortController();
    const first = service.capture({
      source: { ...source, route: 'workstation' },
      node: nodeRef,
      ...target,
      fromOffset: 0,
      signal: interrupt.signal,
      record: () => Promise.reject(new Error('the route through this computer creates nothing on the source')),
      onProgress: (done) => {
        if (done >= 20 * MiB) interrupt.abort();
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    const staged = await writtenExtentEnd(node, { path: target.staging, format: 'raw' });
    expect(staged).toBeGreaterThan(0);
    expect(staged).toBeLessThan(server.disk.size);
    const fromOffset = Math.max(0, staged - 4 * MiB);
    const { wireBytes } = await service.capture({
      source: { ...source, route: 'workstation' },
      node: nodeRef,
      ...target,
      fromOffset,
      signal: new AbortController().signal,
      record: () => Promise.reject(new Error('nothing to record')),
      onProgress: () => undefined,
    });
    expect(wireBytes).toBe(server.disk.size - Math.floor(fromOffset / MiB) * MiB);
    const digests = await service.verify({ source, node: nodeRef, staging: target.staging, size: server.disk.size, signal: new AbortController().signal });
    expect(digests.source).toBe(digests.target);
    expect(sha256(target.staging)).toBe(sha256(server.disk.path));
  });

  it('verifies with a coreutils digest on a server without perl', async () => {
    const minimal = await startP2vSourceServer({ dir: join(dir, 'minimal'), diskBytes: 48 * MiB, perl: false });
    trusted.add(minimal.hostKeyFingerprint);
    try {
      const address = { host: minimal.host, port: minimal.port, username: 'root' };
      const { credentialId } = await service.probe(address, { method: 'password', password: minimal.password });
      const bare: SshSource = { kind: 'ssh', address, credentialId, device: minimal.device, route: 'workstation' };
      const workDir = await makeWorkDir(node, await stagingParent(node, 'local'));
      const target = `${workDir}/staging.raw`;
      await createRawStaging(node, target, minimal.disk.size);
      const signal = new AbortController().signal;
      const noRecord = (): Promise<void> => Promise.reject(new Error('nothing to record'));
      await service.capture({ source: bare, node: nodeRef, workDir, staging: target, fromOffset: 0, signal, record: noRecord, onProgress: () => undefined });
      const digests = await service.verify({ source: bare, node: nodeRef, staging: target, size: minimal.disk.size, signal });
      // sha256 of the whole device, on both sides: the disk file's own sha256.
      expect(digests).toEqual({ method: 'sha256-stream', source: sha256(minimal.disk.path), target: sha256(minimal.disk.path) });
    } finally {
      await minimal.close();
    }
  });

  it('goes through this computer when the node cannot log in to the server with the temporary key (auto), and says so (direct)', async () => {
    const managed = await startP2vSourceServer({ dir: join(dir, 'managed'), diskBytes: 48 * MiB, ignoresHomeKeys: true });
    trusted.add(managed.hostKeyFingerprint);
    try {
      const address = { host: managed.host, port: managed.port, username: 'root' };
      const { credentialId } = await service.probe(address, { method: 'key-file', privateKeyPath: managed.privateKeyPath });
      const auto: SshSource = { kind: 'ssh', address, credentialId, device: managed.device, route: 'auto' };
      const target = await staging(managed.disk.size);
      const recorded: P2vArtifact[] = [];
      const capture = (source: SshSource): Promise<{ wireBytes: number }> =>
        service.capture({
          source,
          node: nodeRef,
          ...target,
          fromOffset: 0,
          signal: new AbortController().signal,
          record: (artifact) => {
            recorded.push(artifact);
            return Promise.resolve();
          },
          onProgress: () => undefined,
        });
      await expect(capture({ ...auto, route: 'direct' })).rejects.toMatchObject({
        code: 'UNREACHABLE',
        message: expect.stringMatching(/could not log in .* with a temporary key.*Choose the route through this computer/),
      });
      expect(readFileSync(managed.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
      expect(await capture(auto)).toEqual({ wireBytes: managed.disk.size });
      expect(readFileSync(managed.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
      expect(recorded.map((artifact) => artifact.kind)).toEqual(['ssh-key', 'ssh-key']);
      expect(sha256(target.staging)).toBe(sha256(managed.disk.path));
      const digests = await service.verify({
        source: auto,
        node: nodeRef,
        staging: target.staging,
        size: managed.disk.size,
        signal: new AbortController().signal,
      });
      expect(digests.source).toBe(digests.target);
    } finally {
      await managed.close();
    }
  });

  it('refuses an LVM snapshot clearly when the server has no lvcreate, after recording it for the rollback', async () => {
    const target = await staging();
    const recorded: P2vArtifact[] = [];
    const capture = service.capture({
      source: { ...source, lvmSnapshot: { volumeGroup: 'vg0', logicalVolume: 'root', sizeBytes: 1024 * MiB } },
      node: nodeRef,
      ...target,
      fromOffset: 0,
      signal: new AbortController().signal,
      record: (artifact) => {
        recorded.push(artifact);
        return Promise.resolve();
      },
      onProgress: () => undefined,
    });
    await expect(capture).rejects.toThrow(/no lvcreate.*install lvm2/);
    expect(recorded).toEqual([{ kind: 'lvm-snapshot', ref: expect.stringMatching(/^vg0\/p2v-snap-[0-9a-f]{12}$/) }]);
    await service.cleanup(source, recorded[0] as P2vArtifact);
  });
});
