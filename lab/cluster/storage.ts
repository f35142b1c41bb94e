import { closeSync, mkdirSync, openSync, readSync, readdirSync, statSync, existsSync, readFileSync, statfsSync } from 'node:fs';
import { join, isAbsolute } from 'node:path';
import type { LabStorage } from '../contracts';

export type ContentType = 'images' | 'iso' | 'import' | 'backup';

/** PVE's dir storage layout: where each content type lives below the storage path. */
const SUBDIR: Record<ContentType, string> = { images: 'images', iso: 'template/iso', import: 'import', backup: 'dump' };

export const BACKUP_EXTENSION = /\.(vma(\.zst|\.gz|\.lzo)?|tar(\.zst)?)$/;
export const IMPORT_EXTENSION = /\.(qcow2|raw|vmdk|ova)$/;
export const ISO_EXTENSION = /\.(iso|img)$/;

export interface VolumeInfo {
  volid: string;
  content: ContentType;
  format: string;
  size: number;
  ctime: number;
  vmid?: number;
  notes?: string;
  /** A backup with a `<archive>.protected` file (PVE's protection_file_path): not pruned, not removable. */
  protected?: boolean;
  path: string;
}

/** The cluster's storages: `local` (a folder per node) and `shared` (one folder every node sees). */
export class StorageRegistry {
  readonly storages: LabStorage[];

  constructor(
    private readonly clusterDir: string,
    private readonly nodeDir: (node: string) => string,
  ) {
    const local: LabStorage = {
      id: 'local',
      type: 'dir',
      shared: false,
      content: ['iso', 'import', 'images', 'backup'],
      pathOn: (node) => join(nodeDir(node), 'local'),
    };
    const shared: LabStorage = {
      id: 'shared',
      type: 'dir',
      shared: true,
      content: ['images', 'iso', 'import', 'backup'],
      pathOn: () => join(clusterDir, 'shared'),
    };
    this.storages = [local, shared];
  }

  get(id: string): LabStorage | undefined {
    return this.storages.find((s) => s.id === id);
  }

  prepare(nodes: readonly string[]): void {
    for (const storage of this.storages)
      for (const node of nodes) for (const sub of Object.values(SUBDIR)) mkdirSync(join(storage.pathOn(node), sub), { recursive: true });
  }

  contentDir(storageId: string, node: string, content: ContentType): string {
    const storage = this.get(storageId);
    if (!storage) throw new Error(`storage '${storageId}' does not exist`);
    return join(storage.pathOn(node), SUBDIR[content]);
  }

  /** `local:100/vm-100-disk-0.qcow2` → its path on `node`; absolute paths stay as they are. */
  resolve(volid: string, node: string): string {
    if (isAbsolute(volid)) return volid;
    const parsed = parseVolid(volid);
    if (!parsed) throw new Error(`unable to parse volume ID '${volid}'`);
    const storage = this.get(parsed.storage);
    if (!storage) throw new Error(`storage '${parsed.storage}' does not exist`);
    return join(storage.pathOn(node), SUBDIR[parsed.content], parsed.relative);
  }

  /** Lists the files of one storage as PVE's content API does. */
  content(storageId: string, node: string, filter?: ContentType): VolumeInfo[] {
    const storage = this.get(storageId);
    if (!storage) return [];
    const out: VolumeInfo[] = [];
    const add = (content: ContentType, relative: string, path: string, vmid?: number): void => {
      let st;
      try {
        st = statSync(path);
      } catch {
        return;
      }
      if (!st.isFile()) return;
      const format = content === 'iso' ? 'iso' : content === 'backup' ? backupFormat(relative) : (relative.split('.').pop() ?? 'raw');
      const info: VolumeInfo = {
        volid: `${storageId}:${volidPart(content, relative)}`,
        content,
        format,
        size: format === 'qcow2' ? qcow2VirtualSize(path, st.size) : st.size,
        ctime: Math.floor(st.ctimeMs / 1000),
        path,
      };
      if (vmid !== undefined) info.vmid = vmid;
      if (content === 'backup' && existsSync(`${path}.notes`)) info.notes = readFileSync(`${path}.notes`, 'utf8').trim();
      if (content === 'backup' && existsSync(`${path}.protected`)) info.protected = true;
      out.push(info);
    };
    for (const content of storage.content) {
      if (filter && content !== filter) continue;
      const dir = join(storage.pathOn(node), SUBDIR[content]);
      if (!existsSync(dir)) continue;
      if (content === 'images') {
        for (const vmidDir of readdirSync(dir)) {
          if (!/^\d+$/.test(vmidDir)) continue;
          for (const file of readdirSync(join(dir, vmidDir))) add('images', `${vmidDir}/${file}`, join(dir, vmidDir, file), Number(vmidDir));
        }
      } else {
        for (const file of readdirSync(dir)) {
          if (file.startsWith('.') || /\.(notes|log|protected)$/.test(file)) continue;
          if (content === 'backup' && !BACKUP_EXTENSION.test(file)) continue;
          const vmid = content === 'backup' ? /^vzdump-qemu-(\d+)-/.exec(file)?.[1] : undefined;
          add(content, file, join(dir, file), vmid ? Number(vmid) : undefined);
        }
      }
    }
    return out;
  }

  usage(storageId: string, node: string): { total: number; used: number; avail: number } {
    const storage = this.get(storageId);
    if (!storage) return { total: 0, used: 0, avail: 0 };
    const fs = statfsSync(storage.pathOn(node));
    const total = fs.blocks * fs.bsize;
    const avail = fs.bavail * fs.bsize;
    return { total, used: total - fs.bfree * fs.bsize, avail };
  }
}

function backupFormat(file: string): string {
  const m = /\.(vma|tar)(\.(zst|gz|lzo))?$/.exec(file);
  return m ? `${m[1]}${m[2] ?? ''}` : 'vma';
}

function volidPart(content: ContentType, relative: string): string {
  if (content === 'images') return relative;
  return `${content}/${relative}`;
}

/** archive_auxiliaries_remove: a backup's `.log` (named without the archive's extensions) and `.notes` files. */
export function backupAuxiliaries(archivePath: string): string[] {
  return [`${archivePath}.notes`, archivePath.replace(/\.(vma|tar)(\.[a-z]+)?$/, '.log')];
}

export function parseVolid(volid: string): { storage: string; content: ContentType; relative: string; vmid?: number } | undefined {
  const m = /^([a-z][a-z0-9\-_.]*):(.+)$/i.exec(volid);
  if (!m) return undefined;
  const storage = m[1] ?? '';
  const rest = m[2] ?? '';
  if (rest.includes('..')) return undefined;
  const image = /^(\d+)\/([^/]+)$/.exec(rest);
  if (image) return { storage, content: 'images', relative: rest, vmid: Number(image[1]) };
  const typed = /^(iso|import|backup)\/([^/]+)$/.exec(rest);
  if (!typed) return undefined;
  const relative = typed[2] ?? '';
  // parse_volname: a backup's owner is the vmid in its vzdump name.
  const owner = typed[1] === 'backup' ? /^vzdump-qemu-(\d+)-/.exec(relative)?.[1] : undefined;
  return owner ? { storage, content: 'backup', relative, vmid: Number(owner) } : { storage, content: typed[1] as ContentType, relative };
}

/**
 * PVE lists an image's virtual size (pve-storage `file_size_info`, from
 * `qemu-img info`). For qcow2 it is the header's big-endian field at byte 24,
 * read here directly so a listing stays synchronous and cheap; a file too
 * short to hold a header keeps its file size.
 */
function qcow2VirtualSize(path: string, fileSize: number): number {
  const header = Buffer.alloc(32);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 32, 0) < 32 || header.readUInt32BE(0) !== 0x514649fb) return fileSize;
  } finally {
    closeSync(fd);
  }
  return Number(header.readBigUInt64BE(24));
}
