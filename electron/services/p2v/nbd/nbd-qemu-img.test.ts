/**
 * The export as the node uses it: the real qemu-img 7.2 reading it over a
 * unix socket, its format drivers on top of the NBD export of the file's bytes.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startNbdExport, type NbdFileExport } from '.';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** qemu-img with a deadline: killed rather than left behind if the server ever stalled. */
async function qemuImg(...args: string[]): Promise<string> {
  const { stdout } = await run('qemu-img', args, { timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 16 * MiB });
  return stdout;
}

let dir: string;
const served: { server: Server; nbd: NbdFileExport }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pve-desk-nbd-qemu-'));
});

afterEach(async () => {
  for (const { server, nbd } of served.splice(0)) {
    await nbd.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Serves `path` on a fresh unix socket; answers qemu's --image-opts for `format` over it. */
async function serve(
  path: string,
  format: string,
  name = randomBytes(16).toString('hex'),
): Promise<{ nbd: NbdFileExport; opts: (exportName?: string) => string }> {
  const nbd = await startNbdExport({ path, exportName: name });
  const socket = join(dir, `${randomBytes(4).toString('hex')}.sock`);
  const server = createServer((stream) => nbd.serve(stream));
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  served.push({ server, nbd });
  return { nbd, opts: (exportName = name) => `driver=${format},file.driver=nbd,file.server.type=unix,file.server.path=${socket},file.export=${exportName}` };
}

/** A sparse raw file of `size` with random data written at `at` (MiB offsets, `length` MiB each). */
async function sparseRaw(name: string, size: number, pieces: { at: number; length: number }[]): Promise<string> {
  const path = join(dir, name);
  const file = await open(path, 'w');
  await file.truncate(size);
  for (const piece of pieces) await file.write(randomBytes(piece.length * MiB), 0, piece.length * MiB, piece.at * MiB);
  await file.close();
  return path;
}

describe('qemu-img over the NBD export', () => {
  it('converts a sparse 2 GiB raw image sending little more than its data, identical to the original', async () => {
    const source = await sparseRaw('sparse.raw', 2 * 1024 * MiB, [
      { at: 0, length: 2 },
      { at: 700, length: 5 },
      { at: 2047, length: 1 },
    ]);
    const { nbd, opts } = await serve(source, 'raw');
    const target = join(dir, 'sparse.qcow2');
    await qemuImg('convert', '--image-opts', opts(), '-O', 'qcow2', target);
    await qemuImg('compare', '-f', 'raw', '-F', 'qcow2', source, target);
    const data = 8 * MiB;
    expect(nbd.sentBytes).toBeGreaterThanOrEqual(data);
    // Holes were skipped by block status: not one zero block crossed the wire.
    expect(nbd.sentBytes).toBeLessThan(data + MiB);
  });

  it('reads a qcow2 image through its NBD export with -f qcow2', async () => {
    const raw = await sparseRaw('content.raw', 64 * MiB, [{ at: 10, length: 3 }]);
    const qcow2 = join(dir, 'source.qcow2');
    await qemuImg('convert', '-f', 'raw', '-O', 'qcow2', raw, qcow2);
    const { opts } = await serve(qcow2, 'qcow2');
    const info = JSON.parse(await qemuImg('info', '--output=json', '--image-opts', opts())) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * MiB });
    const target = join(dir, 'from-qcow2.raw');
    await qemuImg('convert', '--image-opts', opts(), '-O', 'raw', target);
    await qemuImg('compare', '-f', 'raw', '-F', 'raw', raw, target);
  });

  it('refuses another export name', async () => {
    const path = join(dir, 'small.raw');
    await writeFile(path, randomBytes(MiB));
    const { opts } = await serve(path, 'raw');
    await expect(qemuImg('info', '--image-opts', opts(randomBytes(16).toString('hex')))).rejects.toThrow(/export|not found|unknown/i);
  });
});
