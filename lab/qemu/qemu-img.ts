/**
 * qemu-img, the way PVE drives it: image info, internal snapshots, resize,
 * and `convert -p` with progress turned into PVE-style task log lines
 * ("transferred 1.0 GiB of 4.0 GiB (25.00%)").
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { TaskContext } from '../contracts';
import { renderBytes } from './format';
import type { ImageFormat } from './pve-config';

const execFileAsync = promisify(execFile);

export interface ImageInfo {
  format: string;
  virtualSize: number;
  actualSize: number;
  snapshots: { name: string; vmStateSize: number }[];
}

interface QemuImgInfoJson {
  format: string;
  'virtual-size': number;
  'actual-size'?: number;
  snapshots?: { name: string; 'vm-state-size': number }[];
}

export async function qemuImg(args: string[], signal?: AbortSignal): Promise<string> {
  try {
    const { stdout } = await execFileAsync('qemu-img', args, { maxBuffer: 16 * 1024 * 1024, ...(signal ? { signal } : {}) });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (error as Error).message);
  }
}

/**
 * `qemu-img info`; forceShare (-U) reads an image a running QEMU holds locked.
 * The format is given when known so an image is never probed (a raw image could
 * otherwise pose as another format).
 */
export async function imageInfo(path: string, options: { format?: string; forceShare?: boolean } = {}): Promise<ImageInfo> {
  const args = ['info', '--output=json'];
  if (options.format) args.push('-f', options.format);
  if (options.forceShare) args.push('-U');
  const info = JSON.parse(await qemuImg([...args, path])) as QemuImgInfoJson;
  return {
    format: info.format,
    virtualSize: info['virtual-size'],
    actualSize: info['actual-size'] ?? 0,
    snapshots: (info.snapshots ?? []).map((snapshot) => ({ name: snapshot.name, vmStateSize: snapshot['vm-state-size'] })),
  };
}

export async function createImage(path: string, format: ImageFormat, sizeBytes: number): Promise<void> {
  await qemuImg(['create', '-f', format, path, String(sizeBytes)]);
}

export async function snapshotImage(path: string, action: 'create' | 'apply' | 'delete', name: string): Promise<void> {
  const flag = action === 'create' ? '-c' : action === 'apply' ? '-a' : '-d';
  await qemuImg(['snapshot', flag, name, path]);
}

export async function resizeImage(path: string, format: ImageFormat, sizeBytes: number): Promise<void> {
  await qemuImg(['resize', '-f', format, path, String(sizeBytes)]);
}

/** Source formats by file name, so user-supplied images are never probed (PVE's rule for imports). */
export function sourceFormatOf(path: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const formats: Record<string, string> = { raw: 'raw', img: 'raw', iso: 'raw', qcow2: 'qcow2', vmdk: 'vmdk', vhd: 'vpc', vhdx: 'vhdx', vdi: 'vdi' };
  return extension ? formats[extension] : undefined;
}

/** Logs "transferred X of Y (NN.NN%)" each time the integer percentage moves, as PVE's qemu_img_convert does. */
export function progressLogger(totalBytes: number, task: TaskContext): (percent: number) => void {
  let lastWhole = -1;
  return (percent) => {
    const whole = Math.floor(percent);
    if (whole === lastWhole) return;
    lastWhole = whole;
    task.log(`transferred ${renderBytes((totalBytes * percent) / 100)} of ${renderBytes(totalBytes)} (${percent.toFixed(2)}%)`);
  };
}

/**
 * `qemu-img convert -p` with progress in the task log. Aborting the task kills
 * qemu-img. forceShare reads a source a running (paused) QEMU holds.
 */
export async function convertImage(
  source: { path: string; format: string; forceShare?: boolean },
  target: { path: string; format: ImageFormat },
  task: TaskContext,
): Promise<void> {
  const { virtualSize } = await imageInfo(source.path, { format: source.format, forceShare: source.forceShare === true });
  const log = progressLogger(virtualSize, task);
  const args = ['convert', '-p', '-f', source.format, '-O', target.format];
  if (source.forceShare) args.push('-U');
  args.push(source.path, target.path);
  await new Promise<void>((resolve, reject) => {
    if (task.signal.aborted) {
      reject(new Error('interrupted by signal'));
      return;
    }
    const child = spawn('qemu-img', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    const onAbort = (): void => {
      child.kill('SIGTERM');
    };
    task.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      // qemu-img writes "    (12.34/100%)\r" even without a TTY.
      pending += chunk;
      const parts = pending.split(/[\r\n]/);
      pending = parts.pop() ?? '';
      for (const part of parts) {
        const match = /\((\d+(?:\.\d+)?)\/100%\)/.exec(part);
        if (match?.[1]) log(Number(match[1]));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      task.signal.removeEventListener('abort', onAbort);
      if (task.signal.aborted) reject(new Error('interrupted by signal'));
      else if (code === 0) {
        log(100);
        resolve();
      } else reject(new Error(`qemu-img convert failed: ${stderr.trim() || `exit code ${code}`}`));
    });
  });
}
