/**
 * Moving the disk of a running guest as PVE does: QMP drive-mirror to the new
 * image (created by QEMU in the requested format), then block-job-complete,
 * which switches the guest's drive to the copy without stopping it.
 */
import type { TaskContext } from '../contracts';
import { runBlockJob } from './block-jobs';
import type { GuestProcess } from './guest-process';
import type { ImageFormat } from './pve-config';

export async function moveDiskLive(guest: GuestProcess, disk: string, to: { path: string; format: ImageFormat }, task: TaskContext): Promise<void> {
  const jobId = `mirror-${disk}`;
  task.log(`drive mirror is starting for drive-${disk}`);
  await guest.qmp.execute('drive-mirror', {
    'job-id': jobId,
    device: `drive-${disk}`,
    target: to.path,
    format: to.format,
    sync: 'full',
    mode: 'absolute-paths',
  });
  await runBlockJob(guest.qmp, jobId, 'mirror', task, `drive-${disk}`);
  task.log(`drive-${disk}: now using ${to.path}`);
}
