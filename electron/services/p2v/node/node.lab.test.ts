/**
 * The node operations against a lab node: its real sshd, its real qemu-img,
 * perl, coreutils, and the lab's `qm` and `pvesm`. Fixtures are made here with
 * the real qemu-img and put in the node's `local` storage folder.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, firstCluster, startLab, waitFor, waitTask, type RunningLab } from '../../../../lab/api/lab-harness';
import { silentLogger } from '../../log';
import { createKeyFileEncryptor, EncryptedFileSecretStore } from '../../secrets';
import { KnownHostsStore, SshSession } from '../../ssh';
import {
  compareImages,
  convertIntoFile,
  createRawStaging,
  fileSize,
  freeBytes,
  importDisk,
  makeWorkDir,
  partitionTableOf,
  qemuImgCheck,
  qemuImgInfo,
  qemuImgMeasure,
  readHead,
  removePath,
  shellCommand,
  writtenExtentEnd,
  nodeFileDigest,
  stagingParent,
  uploadFile,
  volumePath,
  type ImageRef,
} from '.';
import { startNbdExport } from '../nbd';
import { gptHead, mbrHead, referenceSha256Blocks } from './testing';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const SIZE = 48 * MiB;

let lab: RunningLab;
let ssh: SshSession;
let dir: string;
let importDir: string;
/** The guest-visible content of the test disk: data spread over it, holes between. */
let disk: Buffer;
let rawPath: string;
/** The same disk as qcow2, under a name a shell and QemuOpts would both misread unquoted. */
let qcow2Path: string;

const file = (path: string, format: ImageRef['format']): ImageRef => ({ kind: 'file', path, format });

/** Writes the blocks of `content` that hold data; the rest stays holes. */
function writeSparse(path: string, content: Buffer): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, content.length);
    for (let at = 0; at < content.length; at += MiB) {
      const block = content.subarray(at, at + MiB);
      if (block.some((byte) => byte !== 0)) writeSync(fd, block, 0, block.length, at);
    }
  } finally {
    closeSync(fd);
  }
}

async function nodeShell(command: string): Promise<string> {
  let stdout = '';
  const result = await ssh.exec(command, { onStdout: (chunk) => (stdout += chunk.toString()) });
  if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode}`);
  return stdout;
}

beforeAll(async () => {
  lab = await startLab(['--nodes', '1', '--onboot', '0']);
  const node = firstCluster(lab.ready).nodes[0];
  if (!node) throw new Error('no node in LAB READY');
  dir = mkdtempSync(join(tmpdir(), 'p2v-node-'));
  const knownHosts = new KnownHostsStore(join(dir, 'config'), silentLogger);
  await knownHosts.pin(node.ssh.host, node.ssh.port, { fingerprint: node.ssh.hostKeyFingerprint, keyType: 'ssh-ed25519' });
  ssh = new SshSession(
    { host: node.ssh.host, port: node.ssh.port, username: node.ssh.user, auth: { method: 'key-file', privateKeyPath: node.ssh.key } },
    {
      knownHosts,
      secrets: new EncryptedFileSecretStore(join(dir, 'config'), createKeyFileEncryptor({ keyFile: join(dir, 'key', 'secrets.key') }), silentLogger),
      confirmHostKey: () => Promise.resolve(false),
      logger: silentLogger,
    },
  );
  importDir = join((await nodeShell('printf %s "$LAB_STORAGE_LOCAL"')).trim(), 'import');

  disk = Buffer.alloc(SIZE);
  gptHead(512).copy(disk, 0);
  for (const at of [1 * MiB, 7 * MiB + 4096, 20 * MiB, 33 * MiB, SIZE - MiB]) randomBytes(MiB / 2).copy(disk, at);
  rawPath = join(importDir, 'disk.raw');
  writeSparse(rawPath, disk);
  qcow2Path = join(importDir, "disk 'one',two.qcow2");
  await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', rawPath, qcow2Path]);
});

afterAll(async () => {
  await ssh?.close();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('qemu-img info, check and measure', () => {
  it('reads a qcow2 whose name has a space, a quote and a comma', async () => {
    const image = file(qcow2Path, 'qcow2');
    const info = await qemuImgInfo(ssh, image);
    expect(info).toMatchObject({ format: 'qcow2', virtualSize: SIZE, dirty: false });
    expect(info.actualSize).toBeGreaterThan(0);
    expect(info.backingFile).toBeUndefined();
    expect(await qemuImgCheck(ssh, image)).toEqual({ errors: 0, leaks: 0, corruptions: 0 });
    const qcow2 = await qemuImgMeasure(ssh, image, 'qcow2');
    expect(qcow2.required).toBeGreaterThanOrEqual(5 * (MiB / 2));
    expect(qcow2.required).toBeLessThan(qcow2.fullyAllocated);
    expect((await qemuImgMeasure(ssh, image, 'raw')).fullyAllocated).toBe(SIZE);
  });

  it('reads a raw file as raw, without check, even when it starts with a qcow2 header naming a host file', async () => {
    const crafted = join(importDir, 'crafted.raw');
    await run('qemu-img', ['create', '-f', 'qcow2', '-b', '/etc/hostname', '-F', 'raw', crafted, '1G']);
    const bytes = statSync(crafted).size;
    const info = await qemuImgInfo(ssh, file(crafted, 'raw'));
    // qemu shows a raw file whole, rounded up to a 512-byte sector.
    expect(info).toMatchObject({ format: 'raw', virtualSize: Math.ceil(bytes / 512) * 512 });
    expect(info.backingFile).toBeUndefined();
    expect(await qemuImgCheck(ssh, file(crafted, 'raw'))).toBeUndefined();
    // Opened as the qcow2 its header claims, the backing file shows: the format named is the format used.
    expect((await qemuImgInfo(ssh, file(crafted, 'qcow2'))).backingFile).toBe('/etc/hostname');
  });

  it("never opens the backing file an image names: info reports it, the node's file is not read", async () => {
    const secret = join(dir, 'node-secret.txt');
    writeFileSync(secret, 'NODE-SECRET\n'.repeat(100));
    const overlay = join(importDir, 'overlay.qcow2');
    await run('qemu-img', ['create', '-f', 'qcow2', '-b', secret, '-F', 'raw', overlay, '1M']);
    const image = file(overlay, 'qcow2');
    expect((await qemuImgInfo(ssh, image)).backingFile).toBe(secret);
    expect((await readHead(ssh, image)).every((byte) => byte === 0)).toBe(true);
    expect(await qemuImgCheck(ssh, image)).toEqual({ errors: 0, leaks: 0, corruptions: 0 });
    expect((await qemuImgMeasure(ssh, image, 'qcow2')).required).toBeLessThan(MiB);
    const copy = join(importDir, 'overlay-copy.raw');
    await createRawStaging(ssh, copy, MiB);
    await convertIntoFile(ssh, { source: image, target: { path: copy, format: 'raw' }, fromOffset: 0, virtualSize: MiB });
    expect(readFileSync(copy).includes('NODE-SECRET')).toBe(false);
  });

  it("reads a VMDK's subformat", async () => {
    const vmdk = join(importDir, 'stream.vmdk');
    await run('qemu-img', ['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized', rawPath, vmdk]);
    expect(await qemuImgInfo(ssh, file(vmdk, 'vmdk'))).toMatchObject({ format: 'vmdk', virtualSize: SIZE, vmdkCreateType: 'streamOptimized' });
  });

  it('fails with what qemu-img said when the image is not there', async () => {
    await expect(qemuImgInfo(ssh, file(join(importDir, 'missing.qcow2'), 'qcow2'))).rejects.toMatchObject({
      code: 'SSH_FAILED',
      exitCode: 1,
      message: expect.stringMatching(/^qemu-img info failed \(exit 1\) on the node: .*No such file or directory/),
    });
  });
});

describe('the head of a disk', () => {
  it('finds the GPT of a qcow2 and the MBR of a raw image, through their format drivers', async () => {
    const gpt = await readHead(ssh, file(qcow2Path, 'qcow2'));
    expect(gpt.equals(disk.subarray(0, gpt.length))).toBe(true);
    expect(partitionTableOf(gpt)).toBe('gpt');

    const mbrPath = join(importDir, 'mbr.raw');
    writeFileSync(mbrPath, Buffer.concat([mbrHead([{ type: 0x83, bootable: true }]), Buffer.alloc(MiB)]));
    const mbr = await readHead(ssh, file(mbrPath, 'raw'), 4096);
    expect(mbr.length).toBe(4096);
    expect(partitionTableOf(mbr)).toBe('mbr');
  });
});

describe('work folder and staging', () => {
  let work: string;
  let staging: string;

  it("puts staging in the storage's import folder, or /var/tmp for a storage without a folder", async () => {
    expect(await stagingParent(ssh, 'local')).toBe(importDir);
    expect(await stagingParent(ssh, 'local-lvm')).toBe('/var/tmp');
    expect(await volumePath(ssh, 'local:import/disk.raw')).toBe(rawPath);
    await expect(volumePath(ssh, 'nope:import/x.raw')).rejects.toMatchObject({ message: expect.stringMatching(/storage 'nope' does not exist/) });
  });

  it('makes a private work folder with room in it', async () => {
    work = await makeWorkDir(ssh, importDir);
    expect(work.startsWith(`${importDir}/p2v.`)).toBe(true);
    expect(statSync(work).mode & 0o777).toBe(0o700);
    expect(await freeBytes(ssh, work)).toBeGreaterThan(SIZE);
    staging = join(work, 'staging.raw');
    expect(await fileSize(ssh, staging)).toBeUndefined();
    await createRawStaging(ssh, staging, SIZE);
    expect(await fileSize(ssh, staging)).toBe(SIZE);
    expect(await writtenExtentEnd(ssh, { path: staging, format: 'raw' })).toBe(0);
  });

  it('converts a qcow2 into the staging file with progress, and the digest matches the definition', async () => {
    const fractions: number[] = [];
    await convertIntoFile(ssh, {
      source: file(qcow2Path, 'qcow2'),
      target: { path: staging, format: 'raw' },
      fromOffset: 0,
      virtualSize: SIZE,
      onProgress: (f) => fractions.push(f),
    });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(readFileSync(staging).equals(disk)).toBe(true);
    // Holes stayed holes: only the data was written.
    expect(statSync(staging).blocks * 512).toBeLessThan(SIZE / 2);
    expect(await writtenExtentEnd(ssh, { path: staging, format: 'raw' })).toBe(SIZE - MiB / 2);
    expect(await nodeFileDigest(ssh, { path: staging, format: 'raw' }, 0, SIZE)).toBe(referenceSha256Blocks(disk, 0, SIZE));
    expect(await nodeFileDigest(ssh, { path: staging, format: 'raw' }, 5 * MiB, 17 * MiB + 3)).toBe(referenceSha256Blocks(disk, 5 * MiB, 17 * MiB + 3));
  });

  it('resumes an interrupted copy from the last data extent', async () => {
    const resumed = join(work, 'resumed.raw');
    await createRawStaging(ssh, resumed, SIZE);
    // The first copy stopped after 24 MiB of the disk: its window ended there.
    await convertIntoFile(ssh, { source: file(qcow2Path, 'qcow2'), target: { path: resumed, format: 'raw' }, fromOffset: 0, virtualSize: 24 * MiB });
    const end = await writtenExtentEnd(ssh, { path: resumed, format: 'raw' });
    expect(end).toBe(20 * MiB + MiB / 2);
    const from = Math.max(0, end - 4 * MiB);
    const fractions: number[] = [];
    await convertIntoFile(ssh, {
      source: file(qcow2Path, 'qcow2'),
      target: { path: resumed, format: 'raw' },
      fromOffset: from,
      virtualSize: SIZE,
      onProgress: (f) => fractions.push(f),
    });
    expect(fractions[0]).toBeGreaterThanOrEqual(from / SIZE);
    expect(readFileSync(resumed).equals(disk)).toBe(true);
    expect(await compareImages(ssh, file(resumed, 'raw'), file(qcow2Path, 'qcow2'))).toEqual({ identical: true });
  });

  it('stops qemu-img on the node when cancelled', async () => {
    const cancelled = join(work, 'cancelled.raw');
    await createRawStaging(ssh, cancelled, SIZE);
    const abort = new AbortController();
    abort.abort();
    await expect(
      convertIntoFile(ssh, {
        source: file(qcow2Path, 'qcow2'),
        target: { path: cancelled, format: 'raw' },
        fromOffset: 0,
        virtualSize: SIZE,
        signal: abort.signal,
      }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    // A source that never answers: an NBD socket whose server holds the connection without a word, so qemu-img waits
    // on the node until it is stopped.
    const held: Duplex[] = [];
    const silent = await ssh.forwardStreamLocal(`${work}/silent.sock`, (stream) => held.push(stream));
    try {
      const running = new AbortController();
      const source: ImageRef = { kind: 'nbd', socketPath: `${work}/silent.sock`, exportName: 'f'.repeat(32), format: 'qcow2' };
      const copy = convertIntoFile(ssh, { source, target: { path: cancelled, format: 'raw' }, fromOffset: 0, virtualSize: SIZE, signal: running.signal });
      // The bracket keeps pgrep's pattern from matching the shell that runs it.
      const qemuImg = async (): Promise<string> => nodeShell(`pgrep -f ${shellCommand([`qemu-img convert .*${work}/cancelled[.]raw`])} || true`);
      await waitFor('qemu-img connected to the silent source', () => (held.length > 0 ? true : undefined));
      expect(await qemuImg()).not.toBe('');
      running.abort();
      await expect(copy).rejects.toMatchObject({ code: 'CANCELLED' });
      await waitFor('no qemu-img left on the node', async () => ((await qemuImg()) === '' ? true : undefined));
    } finally {
      for (const stream of held) stream.destroy();
      await silent.close();
    }
  });

  it('tells identical images from different ones, with the sector of the first difference', async () => {
    const fractions: number[] = [];
    expect(await compareImages(ssh, file(qcow2Path, 'qcow2'), file(staging, 'raw'), undefined, (f) => fractions.push(f))).toEqual({ identical: true });
    expect(fractions.at(-1)).toBe(1);
    const changed = join(work, 'changed.raw');
    await nodeShell(shellCommand(['cp', '--sparse=always', staging, changed]));
    const fd = openSync(changed, 'r+');
    writeSync(fd, Buffer.from([(disk.readUInt8(33 * MiB + 10) + 1) % 256]), 0, 1, 33 * MiB + 10);
    closeSync(fd);
    expect(await compareImages(ssh, file(qcow2Path, 'qcow2'), file(changed, 'raw'))).toEqual({ identical: false, firstDifference: 33 * MiB });
  });

  it('imports the staging file into a VM made through the API, as unused0', async () => {
    const auth = { token: lab.ready.accounts.token.value };
    const vmid = 4242;
    const created = await call(lab, 'POST', '/nodes/pve1/qemu', { auth, params: { vmid, name: 'p2v-node-test', memory: 128, ostype: 'l26' } });
    expect(created.status, created.text).toBe(200);
    expect((await waitTask(lab, auth, created.body.data as string)).exitstatus).toBe('OK');

    const fractions: number[] = [];
    const imported = await importDisk(ssh, { vmid, file: staging, storage: 'local', format: 'qcow2', onProgress: (f) => fractions.push(f) });
    expect(imported).toEqual({ key: 'unused0', volid: `local:${vmid}/vm-${vmid}-disk-0.qcow2` });
    expect(fractions.at(-1)).toBe(1);
    const config = (await call(lab, 'GET', `/nodes/pve1/qemu/${vmid}/config`, { auth })).body.data as Record<string, string>;
    expect(config.unused0).toBe(imported.volid);
    const path = await volumePath(ssh, imported.volid);
    expect(await compareImages(ssh, file(staging, 'raw'), file(path, 'qcow2'))).toEqual({ identical: true });

    await expect(importDisk(ssh, { vmid: 99999, file: staging, storage: 'local', format: 'qcow2' })).rejects.toMatchObject({
      code: 'SSH_FAILED',
      exitCode: 255,
      message: expect.stringMatching(/99999\.conf' does not exist/),
    });
  });

  it('uploads a file and resumes an upload from the size on the node', async () => {
    const local = join(dir, 'extent.vmdk');
    const content = randomBytes(5 * MiB + 123);
    writeFileSync(local, content);
    const remote = join(work, 'upload dir', 'extent.vmdk');
    await nodeShell(shellCommand(['mkdir', join(work, 'upload dir')]));
    const seen: number[] = [];
    expect(await uploadFile(ssh, local, remote, { fromOffset: 0, onBytes: (sent) => seen.push(sent) })).toBe(content.length);
    expect(seen.at(-1)).toBe(content.length);
    expect(createHash('sha256').update(readFileSync(remote)).digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));

    // An interrupted upload left 3 MiB and a bit: the rest follows from there.
    writeFileSync(remote, content.subarray(0, 3 * MiB + 7));
    const from = await fileSize(ssh, remote);
    expect(from).toBe(3 * MiB + 7);
    expect(await uploadFile(ssh, local, remote, { fromOffset: from ?? 0 })).toBe(content.length - (3 * MiB + 7));
    expect(readFileSync(remote).equals(content)).toBe(true);
  });

  it('removes the work folder, and refuses to remove what is too close to /', async () => {
    await removePath(ssh, work);
    expect(await fileSize(ssh, work)).toBeUndefined();
    await removePath(ssh, work);
    await expect(removePath(ssh, '/var')).rejects.toThrow(RangeError);
    await expect(removePath(ssh, 'relative/path')).rejects.toThrow(RangeError);
    await expect(removePath(ssh, '/var/tmp/../..')).rejects.toThrow(RangeError);
  });
});

describe("the workstation's image over NBD through the SSH connection", () => {
  it('is read, converted and compared by the node through its format driver, and both digests agree', async () => {
    const work = await makeWorkDir(ssh, '/var/tmp');
    const exports: Awaited<ReturnType<typeof startNbdExport>>[] = [];
    const forwards: { close(): Promise<void> }[] = [];
    try {
      const serve = async (path: string, format: ImageRef['format'], name: string): Promise<ImageRef> => {
        const exportName = randomBytes(16).toString('hex');
        const served = await startNbdExport({ path, exportName });
        exports.push(served);
        const socketPath = `${work}/${name}.sock`;
        forwards.push(await ssh.forwardStreamLocal(socketPath, (stream) => served.serve(stream)));
        return { kind: 'nbd', socketPath, exportName, format };
      };
      // The workstation's copies, outside the node's folders.
      const localQcow2 = join(dir, 'workstation.qcow2');
      const localRaw = join(dir, 'workstation.raw');
      await run('cp', [qcow2Path, localQcow2]);
      await run('cp', ['--sparse=always', rawPath, localRaw]);
      const qcow2 = await serve(localQcow2, 'qcow2', 'qcow2');
      const raw = await serve(localRaw, 'raw', 'raw');

      expect(await qemuImgInfo(ssh, qcow2)).toMatchObject({ format: 'qcow2', virtualSize: SIZE });
      expect(await qemuImgCheck(ssh, qcow2)).toEqual({ errors: 0, leaks: 0, corruptions: 0 });
      expect(partitionTableOf(await readHead(ssh, raw))).toBe('gpt');

      for (const [source, name] of [
        [qcow2, 'from-qcow2.raw'],
        [raw, 'from-raw.raw'],
      ] as const) {
        const staging = `${work}/${name}`;
        await createRawStaging(ssh, staging, SIZE);
        await convertIntoFile(ssh, { source, target: { path: staging, format: 'raw' }, fromOffset: 0, virtualSize: SIZE });
        expect(await compareImages(ssh, source, file(staging, 'raw'))).toEqual({ identical: true });
        expect(readFileSync(staging).equals(disk)).toBe(true);
      }
      const [qcow2Export, rawExport] = exports;
      // The workstation's digest (the NBD export's) and the node's perl agree on the same content.
      expect(await nodeFileDigest(ssh, { path: `${work}/from-raw.raw`, format: 'raw' }, 0, SIZE)).toBe(await rawExport?.rangeDigest(0, SIZE));
      // Holes were not sent: each export was read whole twice (convert, compare), yet only its blocks with data crossed
      // the wire (the raw disk has six 1 MiB blocks with data: 12 MiB and the head, of 2 × 48 MiB).
      expect(rawExport?.sentBytes).toBeLessThan(13 * MiB);
      expect(qcow2Export?.sentBytes).toBeLessThan(13 * MiB);
    } finally {
      for (const forward of forwards) await forward.close();
      for (const served of exports) await served.close();
      await removePath(ssh, work);
    }
  });
});
