import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetFormat } from '../../../../shared/domain/p2v';
import { DIGEST_BLOCK_SIZE, sha256BlocksCommand } from './staging-digest';
import { referenceSha256Blocks } from './testing';

const run = promisify(execFile);
const MiB = DIGEST_BLOCK_SIZE;

/** The node's command, run by bash here as the node's shell would. */
async function perlDigest(
  path: string,
  offset: number,
  length: number,
  workers?: number,
  env: NodeJS.ProcessEnv = process.env,
  format: TargetFormat = 'raw',
): Promise<string> {
  const { stdout } = await run('bash', ['-c', sha256BlocksCommand(path, offset, length, workers, format)], { env });
  return stdout.trim();
}

/** A perl library folder whose Net::SSLeay is `source`, found before the system's. */
function shadowNetSsleay(dir: string, source: string): NodeJS.ProcessEnv {
  const lib = mkdtempSync(join(dir, 'perl-lib-'));
  mkdirSync(join(lib, 'Net'));
  writeFileSync(join(lib, 'Net', 'SSLeay.pm'), source);
  return { ...process.env, PERL5LIB: lib };
}

describe('sha256-blocks digest (perl on the node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2v-digest-'));
  const path = join(dir, "staging 'x'.raw");
  const size = 12 * MiB + 12345;
  let disk: Buffer;

  beforeAll(() => {
    // Blocks of data, one written block of zeros (allocated, yet skipped as zero), a byte at the very end, holes between.
    disk = Buffer.alloc(size);
    randomBytes(MiB).copy(disk, 0);
    randomBytes(3000).copy(disk, 3 * MiB + 100);
    randomBytes(2 * MiB).copy(disk, 6 * MiB + MiB / 2);
    disk[size - 1] = 7;
    const fd = openSync(path, 'w');
    ftruncateSync(fd, size);
    for (const [at, length] of [
      [0, MiB],
      [3 * MiB + 100, 3000],
      [5 * MiB, MiB], // zeros, written
      [6 * MiB + MiB / 2, 2 * MiB],
      [size - 1, 1],
    ] as const) {
      writeSync(fd, disk, at, length, at);
    }
    closeSync(fd);
    expect(readFileSync(path).equals(disk)).toBe(true);
    // Holes, so the perl's SEEK_DATA path is the one tested.
    expect(statSync(path).blocks * 512).toBeLessThan(size / 2);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals the definition over the whole disk', async () => {
    expect(await perlDigest(path, 0, size)).toBe(referenceSha256Blocks(disk, 0, size));
  });

  it('equals the definition over ranges that start and end inside blocks, and over holes only', async () => {
    for (const [offset, length] of [
      [Math.floor(MiB / 3), 7 * MiB],
      [3 * MiB, MiB + 5],
      [size - 10, 10],
      [9 * MiB, 3 * MiB],
      [0, 0],
    ] as const) {
      expect(await perlDigest(path, offset, length), `${offset}+${length}`).toBe(referenceSha256Blocks(disk, offset, length));
    }
    // Only holes: no line at all.
    expect(await perlDigest(path, 9 * MiB, 2 * MiB)).toBe(createHash('sha256').digest('hex'));
  });

  it('equals the definition when several processes hash shares of the range', async () => {
    for (const [offset, length] of [
      [0, size],
      [Math.floor(MiB / 3), 7 * MiB],
      [3 * MiB, MiB + 5],
      [9 * MiB, 3 * MiB],
    ] as const) {
      expect(await perlDigest(path, offset, length, 3), `${offset}+${length}`).toBe(referenceSha256Blocks(disk, offset, length));
    }
  });

  it('hashes with OpenSSL through Net::SSLeay where the node has it, as a PVE node does', async () => {
    await expect(run('perl', ['-MNet::SSLeay', '-e', '1'])).resolves.toBeDefined();
    // The same digest whichever library hashes: Digest::SHA alone when Net::SSLeay is missing…
    const missing = shadowNetSsleay(dir, 'die "no Net::SSLeay here\\n";\n');
    expect(await perlDigest(path, 0, size, 2, missing)).toBe(referenceSha256Blocks(disk, 0, size));
    // …and when one answers another SHA-256 than Digest::SHA's, it is not trusted.
    const wrong = shadowNetSsleay(dir, 'package Net::SSLeay; sub SHA256 { "x" x 32 } 1;\n');
    expect(await perlDigest(path, 0, size, 2, wrong)).toBe(referenceSha256Blocks(disk, 0, size));
    // A Net::SSLeay that is used shows in the digest: this one hashes every block alike.
    const constant = shadowNetSsleay(dir, 'package Net::SSLeay; use Digest::SHA; sub SHA256 { $_[0] eq "abc" ? Digest::SHA::sha256("abc") : "y" x 32 } 1;\n');
    expect(await perlDigest(path, 0, size, 1, constant)).not.toBe(referenceSha256Blocks(disk, 0, size));
  });

  it('changes when one byte changes', async () => {
    const before = await perlDigest(path, 0, size);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from([disk.readUInt8(7 * MiB) ^ 1]), 0, 1, 7 * MiB);
    closeSync(fd);
    try {
      expect(await perlDigest(path, 0, size)).not.toBe(before);
    } finally {
      const restore = openSync(path, 'r+');
      writeSync(restore, disk, 7 * MiB, 1, 7 * MiB);
      closeSync(restore);
    }
  });

  it('fails for a range beyond the end of the file', async () => {
    await expect(perlDigest(path, 0, size + 1)).rejects.toThrow(/fewer than the/);
  });
});

describe('sha256-blocks digest of a qcow2 file (read through its tables on the node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2v-digest-qcow2-'));
  const raw = join(dir, 'disk.raw');
  const size = 20 * MiB + 4096;
  let disk: Buffer;
  const qcow2 = async (name: string, ...options: string[]): Promise<string> => {
    const path = join(dir, name);
    await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', ...options, raw, path]);
    return path;
  };
  const qcow2Digest = (path: string, offset: number, length: number, workers = 1): Promise<string> =>
    perlDigest(path, offset, length, workers, process.env, 'qcow2');

  beforeAll(() => {
    disk = Buffer.alloc(size);
    for (const [at, length] of [
      [0, 70_000],
      [MiB + 65_536 - 10, 20],
      [4 * MiB, 3 * MiB + 1],
      [13 * MiB + 5, 65_536 * 3],
      [size - 3, 3],
    ] as const) {
      randomBytes(length).copy(disk, at);
    }
    writeFileSync(raw, disk);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals the raw disk digest for the layouts qemu-img and PVE write, whole and in ranges, by one or several processes', async () => {
    const preallocated = join(dir, 'preallocated.qcow2');
    // PVE allocates qcow2 volumes with metadata preallocated; the wizard then converts into them in place.
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'preallocation=metadata', preallocated, String(size)]);
    await run('qemu-img', ['convert', '-n', '--target-is-zero', '-f', 'raw', '-O', 'qcow2', raw, preallocated]);
    const files = [
      await qcow2('default.qcow2'),
      preallocated,
      await qcow2('large-clusters.qcow2', '-o', 'cluster_size=2M'),
      await qcow2('small-clusters-v2.qcow2', '-o', 'cluster_size=4096,compat=0.10'),
    ];
    for (const file of files) {
      for (const [offset, length] of [
        [0, size],
        [Math.floor(MiB / 3), 9 * MiB],
        [size - 10, 10],
        [8 * MiB, 4 * MiB],
      ] as const) {
        expect(await qcow2Digest(file, offset, length), `${file} ${offset}+${length}`).toBe(referenceSha256Blocks(disk, offset, length));
      }
      expect(await qcow2Digest(file, 0, size, 3), file).toBe(referenceSha256Blocks(disk, 0, size));
    }
  });

  it('reads a cluster flagged zero as zeros, though its old data is still in the file', async () => {
    const file = await qcow2('zeroed.qcow2');
    await run('qemu-io', ['-f', 'qcow2', '-c', `write -z ${4 * MiB} ${MiB}`, file]);
    const zeroed = Buffer.from(disk);
    zeroed.fill(0, 4 * MiB, 5 * MiB);
    expect(await qcow2Digest(file, 0, size)).toBe(referenceSha256Blocks(zeroed, 0, size));
    expect(await qcow2Digest(file, 0, size)).not.toBe(referenceSha256Blocks(disk, 0, size));
  });

  it('refuses what it does not read as QEMU does: compressed clusters, extended L2 entries, a backing file, encryption, not qcow2', async () => {
    await expect(qcow2Digest(await qcow2('compressed.qcow2', '-c'), 0, size)).rejects.toThrow(/compressed cluster/);
    await expect(qcow2Digest(await qcow2('extended.qcow2', '-o', 'extended_l2=on'), 0, size)).rejects.toThrow(/features this reader does not know/);
    const overlay = join(dir, 'overlay.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', raw, overlay]);
    await expect(qcow2Digest(overlay, 0, size)).rejects.toThrow(/has a backing file/);
    const encrypted = join(dir, 'encrypted.qcow2');
    // AES rather than LUKS: LUKS's key derivation calibrates against CPU time and fails on a busy machine.
    await run('qemu-img', ['create', '-q', '--object', 'secret,id=s,data=x', '-f', 'qcow2', '-o', 'encrypt.format=aes,encrypt.key-secret=s', encrypted, '1M']);
    await expect(qcow2Digest(encrypted, 0, MiB)).rejects.toThrow(/encrypted/);
    await expect(qcow2Digest(raw, 0, size)).rejects.toThrow(/not a qcow2 file/);
    await expect(qcow2Digest(await qcow2('short.qcow2'), 0, size + 1)).rejects.toThrow(/fewer than the/);
  });
});
