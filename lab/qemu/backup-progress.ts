/**
 * The progress lines of a running VM's backup, as qemu-server's
 * PVE/VZDump/QemuServer.pm `$query_backup_status_loop` writes them:
 * `INFO:  45% (1.2 GiB of 4.0 GiB) in 12s, read: 98.7 MiB/s, write: 98.7 MiB/s`.
 * PVE polls every second but prints only when the percentage changed and
 * more than 2 s passed since the last line; the last line comes when the
 * copy ends below 100 % printed.
 */
import type { TaskContext } from '../contracts';
import { renderBytes, renderDuration } from './format';

export interface CopyStatus {
  /** Bytes copied so far. */
  offset: number;
  /** Bytes to copy. */
  len: number;
}

/** PVE's `$get_mbps`: a whole number of bytes per second, "0 B/s" when nothing moved. */
function rate(bytes: number, seconds: number): string {
  return bytes <= 0 ? '0 B/s' : `${renderBytes(Math.floor(bytes / seconds), 1)}/s`;
}

export class BackupProgressLog {
  private readonly started: number;
  private lastTime: number;
  private lastPercent = -1;
  private lastTransferred = 0;
  private latest: CopyStatus | undefined;

  constructor(
    private readonly task: TaskContext,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.started = now();
    this.lastTime = this.started;
  }

  /** One poll of the copy's status while it runs. */
  poll(status: CopyStatus): void {
    this.latest = status;
    const percent = this.percent(status);
    const timediff = this.now() - this.lastTime || 1;
    if (percent === this.lastPercent || timediff <= 2) return;
    this.print(status, percent);
  }

  /** The copy ended: PVE prints the final status unless 100 % was already printed. */
  finish(): void {
    if (this.latest && this.lastPercent < 100) this.print({ offset: this.latest.len, len: this.latest.len }, 100);
  }

  private percent(status: CopyStatus): number {
    return status.len ? Math.floor((status.offset * 100) / status.len) : 100;
  }

  private print(status: CopyStatus, percent: number): void {
    const now = this.now();
    const timediff = now - this.lastTime || 1;
    // Nothing the lab copies is skipped as zero data, so what is read is written.
    const moved = rate(status.offset - this.lastTransferred, timediff);
    this.task.log(
      `INFO: ${String(percent).padStart(3)}% (${renderBytes(status.offset)} of ${renderBytes(status.len)}) in ${renderDuration(now - this.started)}, read: ${moved}, write: ${moved}`,
    );
    this.lastPercent = percent;
    this.lastTransferred = status.offset;
    this.lastTime = now;
  }
}
