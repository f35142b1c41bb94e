/** probeImage over images the real qemu-img wrote in every format the wizard takes, and over broken ones. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcError } from '../../../../shared/ipc/errors';
import { probeImage } from './image-probe';

const run = promisify(execFile);
let dir: string;

async function create(name: string, format: string, options: string[] = []): Promise<string> {
  const path = join(dir, name);
  await run('qemu-img', ['create', '-q', '-f', format, ...options, path, '16M'], { timeout: 60_000, killSignal: 'SIGKILL' });
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pve-desk-probe-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeImage', () => {
  it.each([
    ['disk.img', 'raw', [], 'raw', undefined],
    ['disk.qcow2', 'qcow2', [], 'qcow2', 'qcow2'],
    ['sparse.vmdk', 'vmdk', [], 'vmdk', 'vmdk'],
    ['dynamic.vhd', 'vpc', [], 'vpc', 'vpc'],
    ['fixed.vhd', 'vpc', ['-o', 'subformat=fixed'], 'vpc', 'vpc'],
    ['disk.vhdx', 'vhdx', [], 'vhdx', 'vhdx'],
    ['disk.vdi', 'vdi', [], 'vdi', 'vdi'],
  ])('reads %s (%s) by name and by header', async (name, format, options, byName, byHeader) => {
    const image = await probeImage(await create(name, format, options));
    expect(image.formatByName).toBe(byName);
    expect(image.formatByHeader).toBe(byHeader);
    expect(image.warnings).toEqual([]);
    expect(image.fileSize).toBeGreaterThan(0);
  });

  it('keeps the format of the name and warns when the header says otherwise', async () => {
    const image = await probeImage(await create('looks-raw.img', 'qcow2'));
    expect(image).toMatchObject({ formatByName: 'raw', formatByHeader: 'qcow2' });
    expect(image.warnings).toEqual([{ key: 'p2v.warning.headerMismatch', params: { byName: 'raw', byHeader: 'qcow2' } }]);
    const headless = await probeImage(await create('not-really.qcow2', 'raw'));
    expect(headless.formatByHeader).toBeUndefined();
    expect(headless.warnings).toEqual([{ key: 'p2v.warning.headerMismatch', params: { byName: 'qcow2', byHeader: 'raw' } }]);
  });

  it('says nothing about the format of a name without a known extension', async () => {
    const image = await probeImage(await create('disk.image', 'vdi'));
    expect(image.formatByName).toBeUndefined();
    expect(image.formatByHeader).toBe('vdi');
    expect(image.warnings).toEqual([]);
  });

  it('lists the extents of a split VMDK descriptor beside it, with their sizes', async () => {
    const folder = join(dir, 'split');
    await mkdir(folder);
    const path = join(folder, 'disk.vmdk');
    await run('qemu-img', ['create', '-q', '-f', 'vmdk', '-o', 'subformat=twoGbMaxExtentSparse', path, '5G'], { timeout: 60_000 });
    const image = await probeImage(path);
    expect(image.formatByHeader).toBe('vmdk');
    const extentNames = (await readdir(folder)).filter((name) => name !== 'disk.vmdk').sort();
    expect(image.extents?.map((extent) => extent.path).sort()).toEqual(extentNames.map((name) => join(folder, name)));
    expect(extentNames).toHaveLength(3);
    const extentBytes = image.extents?.reduce((sum, extent) => sum + extent.size, 0) ?? 0;
    expect(image.fileSize).toBeGreaterThan(extentBytes);
  });

  it.each([
    ['an absolute extent path', 'RW 2048 FLAT "/etc/passwd" 0', /outside its own folder/],
    ['an extent above its folder', 'RW 2048 FLAT "../secret-flat.vmdk" 0', /outside its own folder/],
    ['a missing extent', 'RW 2048 SPARSE "gone-s001.vmdk"', /not a file in/],
  ])('refuses a descriptor with %s', async (_case, extentLine, message) => {
    const path = join(dir, `bad-${Math.random().toString(16).slice(2)}.vmdk`);
    await writeFile(
      path,
      `# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\n# Extent description\n${extentLine}\n`,
    );
    const refused = await probeImage(path).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IpcError);
    expect(refused).toMatchObject({ code: 'BAD_FILE', message: expect.stringMatching(message) as unknown });
  });

  it('refuses a missing file and a folder with clear errors', async () => {
    await expect(probeImage(join(dir, 'nowhere.qcow2'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no file at/) as unknown });
    await expect(probeImage(dir)).rejects.toMatchObject({ code: 'BAD_FILE', message: expect.stringMatching(/not a regular file/) as unknown });
  });

  it('says what is wrong in French too', async () => {
    const missing = join(dir, 'nowhere.qcow2');
    const error = await probeImage(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).message).toBe(`There is no file at ${missing}: check the path.`);
    expect((error as IpcError).translations?.fr).toBe(`Il n’y a aucun fichier à l’emplacement ${missing} : vérifiez le chemin.`);
  });
});
