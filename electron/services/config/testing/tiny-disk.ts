import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real file system of a few hundred KiB (tmpfs; mounting needs root, as
 * CI runs) that a test fills to the last byte, to see what the app does when
 * the disk under its config folder is full or turns read-only.
 */
export interface TinyDisk {
  path: string;
  /** Writes a filler file until the kernel answers ENOSPC. */
  fill(): Promise<void>;
  /** Deletes the filler. */
  free(): Promise<void>;
  readOnly(on: boolean): Promise<void>;
  unmount(): Promise<void>;
}

export async function mountTinyDisk(sizeKiB = 512): Promise<TinyDisk> {
  const path = mkdtempSync(join(tmpdir(), 'pve-desk-tiny-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'pve-desk-tiny-disk', path]);
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw new Error(`mounting a ${sizeKiB} KiB tmpfs needs root (CI runs as root): ${(error as Error).message}`);
  }
  const filler = join(path, 'filler');
  return {
    path,
    async fill() {
      const file = await open(filler, 'a');
      try {
        // Big blocks first, then single bytes for what a partial block leaves.
        for (const size of [64 * 1024, 4096, 1]) {
          const block = Buffer.alloc(size);
          for (;;) {
            try {
              await file.write(block);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        await file.close();
      }
    },
    free: () => rm(filler, { force: true }),
    async readOnly(on) {
      await run('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, path]);
    },
    async unmount() {
      await run('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
