import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { GuestConfig } from '../contracts';
import { DISK_KEY, UNUSED_KEY, isCdrom, parseDrive, parseSize } from './guest-config';
import type { StorageRegistry } from './storage';
import { parseVolid } from './storage';

const run = promisify(execFile);

export type ImageFormat = 'raw' | 'qcow2' | 'vmdk';

export async function qemuImg(args: string[]): Promise<string> {
  const { stdout } = await run('qemu-img', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

export async function virtualSize(path: string): Promise<number> {
  const info = JSON.parse(await qemuImg(['info', '--output=json', '-U', path])) as { 'virtual-size': number };
  return info['virtual-size'];
}

export function formatOfVolume(volid: string): ImageFormat {
  const ext = volid.split('.').pop();
  return ext === 'qcow2' || ext === 'vmdk' ? ext : 'raw';
}

/** The next free `vm-<vmid>-disk-<n>.<fmt>` on a storage, checked against files and the guest's config. */
export function newDiskVolid(storage: StorageRegistry, storageId: string, node: string, vmid: number, format: ImageFormat, taken: GuestConfig = {}): string {
  const dir = join(storage.contentDir(storageId, node, 'images'), String(vmid));
  const files = new Set(existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\.[a-z0-9]+$/, '')) : []);
  // Names are unique per storage (as in PVE): only volumes of the config on this storage count.
  const used = new Set(
    Object.values(taken)
      .map((v) => parseDrive(v).volume)
      .filter((volume) => volume.startsWith(`${storageId}:`))
      .map((volume) =>
        volume
          .split('/')
          .pop()
          ?.replace(/\.[a-z0-9]+$/, ''),
      ),
  );
  for (let n = 0; ; n++) {
    const name = `vm-${vmid}-disk-${n}`;
    if (!files.has(name) && !used.has(name)) return `${storageId}:${vmid}/${name}.${format}`;
  }
}

/** qemu-img create of a new, sparse volume; returns its path. */
export async function createVolume(storage: StorageRegistry, volid: string, node: string, sizeBytes: number): Promise<string> {
  const path = storage.resolve(volid, node);
  mkdirSync(dirname(path), { recursive: true });
  await qemuImg(['create', '-q', '-f', formatOfVolume(volid), path, String(sizeBytes)]);
  return path;
}

/** Volumes (disk keys and unusedN) of a config that live on a storage; cdroms excluded. */
export function configVolumes(config: GuestConfig): { key: string; volid: string; size?: number }[] {
  const out: { key: string; volid: string; size?: number }[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!(DISK_KEY.test(key) || UNUSED_KEY.test(key)) || isCdrom(value)) continue;
    const { volume, options } = parseDrive(value);
    if (!parseVolid(volume)) continue;
    const size = options.get('size');
    out.push(size ? { key, volid: volume, size: parseSize(size) } : { key, volid: volume });
  }
  return out;
}

/**
 * Seeded and synthetic guests have no images until they first start (10 000
 * guests must not cost 10 000 files): creates the missing ones, sparse.
 */
export async function ensureVolumes(storage: StorageRegistry, config: GuestConfig, node: string, log: (line: string) => void): Promise<void> {
  for (const { key, volid, size } of configVolumes(config)) {
    if (UNUSED_KEY.test(key)) continue;
    const path = storage.resolve(volid, node);
    if (existsSync(path)) continue;
    log(`allocating missing volume ${volid} (${size ?? 1024 ** 3} bytes)`);
    await createVolume(storage, volid, node, size ?? 1024 ** 3);
  }
}
