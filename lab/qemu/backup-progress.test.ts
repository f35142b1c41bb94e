import { describe, expect, it } from 'vitest';
import { BackupProgressLog } from './backup-progress';
import { renderDuration } from './format';

const GiB = 1024 ** 3;

function logOn(clock: { now: number }): { lines: string[]; progress: BackupProgressLog } {
  const lines: string[] = [];
  const progress = new BackupProgressLog({ log: (line) => lines.push(line), signal: new AbortController().signal }, () => clock.now);
  return { lines, progress };
}

describe('BackupProgressLog', () => {
  it('prints as qemu-server’s backup status loop: a changed percentage after more than 2 s, then the final 100 %', () => {
    const clock = { now: 1000 };
    const { lines, progress } = logOn(clock);
    for (let second = 1; second <= 8; second++) {
      clock.now = 1000 + second;
      progress.poll({ offset: second * 64 * 1024 ** 2, len: GiB });
    }
    clock.now = 1010;
    progress.finish();
    expect(lines).toEqual([
      'INFO:  18% (192.0 MiB of 1.0 GiB) in 3s, read: 64.0 MiB/s, write: 64.0 MiB/s',
      'INFO:  37% (384.0 MiB of 1.0 GiB) in 6s, read: 64.0 MiB/s, write: 64.0 MiB/s',
      'INFO: 100% (1.0 GiB of 1.0 GiB) in 10s, read: 160.0 MiB/s, write: 160.0 MiB/s',
    ]);
  });

  it('prints nothing while the percentage stands still', () => {
    const clock = { now: 0 };
    const { lines, progress } = logOn(clock);
    for (clock.now = 1; clock.now <= 10; clock.now++) progress.poll({ offset: 0, len: GiB });
    expect(lines).toEqual(['INFO:   0% (0.0 B of 1.0 GiB) in 3s, read: 0 B/s, write: 0 B/s']);
  });
});

describe('renderDuration', () => {
  it('names the non-zero units as PVE::Format::render_duration', () => {
    expect([0, 12, 65, 3603, 90_061].map(renderDuration)).toEqual(['0s', '12s', '1m 5s', '1h 3s', '1d 1h 1m 1s']);
  });
});
