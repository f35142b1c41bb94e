import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { craftedRawImage, expectIdentical, imageKinds, makeImage } from './image-fixtures';
import { crc32 } from './partition-table';
import { MiB, scatteredExtents, spreadExtents, writeTestDisk } from './test-disk';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'p2v-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function info(path: string, format: string): Promise<Record<string, unknown>> {
  return JSON.parse((await run('qemu-img', ['info', '-f', format, '--output=json', path])).stdout) as Record<string, unknown>;
}

describe('P2V test images', () => {
  it('computes the CRC-32 GPT uses (the standard check value)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a sparse GPT disk: protective MBR, both headers, data at the extents only', async () => {
    const size = 64 * MiB;
    const disk = await writeTestDisk(join(dir, 'gpt.raw'), { size, partitionTable: 'gpt', extents: scatteredExtents(size) });
    const bytes = readFileSync(disk.path);
    expect(bytes.length).toBe(size);
    expect(bytes[450]).toBe(0xee);
    expect(bytes.readUInt16LE(510)).toBe(0xaa55);
    expect(bytes.subarray(512, 520).toString('latin1')).toBe('EFI PART');
    expect(bytes.subarray(size - 512, size - 504).toString('latin1')).toBe('EFI PART');
    const header = Buffer.from(bytes.subarray(512, 512 + 92));
    const stored = header.readUInt32LE(16);
    header.writeUInt32LE(0, 16);
    expect(crc32(header)).toBe(stored);
    expect(bytes.subarray(5 * MiB, 6 * MiB).every((byte) => byte === 0)).toBe(true);
    expect(bytes.subarray(1 * MiB, 3 * MiB).some((byte) => byte !== 0)).toBe(true);
    // Holes stay holes: far fewer blocks on disk than the size.
    expect(statSync(disk.path).blocks * 512).toBeLessThan(12 * MiB);
  });

  it('spreads a fraction of 1 MiB blocks across the disk', () => {
    const extents = spreadExtents(1024 * MiB, 0.4);
    expect(extents.length).toBe(410);
    expect(extents.at(-1)?.offset).toBeGreaterThan(512 * MiB);
    expect(new Set(extents.map((extent) => extent.offset)).size).toBe(extents.length);
  });

  it.each(imageKinds)('makes a %s image qemu-img reads as the same disk', async (kind) => {
    const size = 48 * MiB;
    const disk = await writeTestDisk(join(dir, `${kind}-source.raw`), { size, partitionTable: 'mbr', extents: scatteredExtents(size) });
    const image = await makeImage(kind, disk, dir);
    const read = await info(image.path, image.format);
    expect(read.format).toBe(image.format);
    expect(read['virtual-size']).toBe(size);
    if (kind === 'vmdk-split-extents') {
      expect(read['format-specific']).toMatchObject({ data: { 'create-type': 'twoGbMaxExtentSparse', extents: [{}, {}] } });
      expect(image.files).toHaveLength(3);
    }
    await expectIdentical(image, { path: disk.path, format: 'raw' });
  });

  it('crafts a raw disk that starts with a qcow2 header backed by a host file', async () => {
    const disk = await craftedRawImage(dir);
    const bytes = readFileSync(disk.path);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x51, 0x46, 0x49, 0xfb]));
    // Probed, it would be a qcow2 image over the host file: exactly what the wizard must never do.
    expect(await info(disk.path, 'qcow2')).toMatchObject({ format: 'qcow2', 'backing-filename': '/etc/hostname' });
    await expect(expectIdentical({ path: disk.path, format: 'qcow2' }, { path: disk.path, format: 'raw' })).rejects.toThrow(/differ/);
  });
});
