import { describe, expect, it } from 'vitest';
import { progressFromLogLine, progressFromLogLines } from './progress-parsers';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('progress from PVE task log lines', () => {
  it('reads a live migration, with the timestamp QemuMigrate puts in front', () => {
    expect(progressFromLogLine('2025-03-01 10:00:05 migration active, transferred 1.5 GiB of 4.0 GiB VM-state, 110.5 MiB/s')).toEqual({
      unit: 'bytes',
      done: 1.5 * GiB,
      total: 4 * GiB,
      rate: Math.round(110.5 * MiB),
    });
  });

  it('reads the dirty-memory variant of the migration line', () => {
    const line = 'migration active, transferred 512.0 MiB of 2.0 GiB VM-state, 0 B/s, VM dirties lots of memory: 300.0 MiB/s';
    expect(progressFromLogLine(line)).toMatchObject({ done: 512 * MiB, total: 2 * GiB, rate: 0 });
  });

  it('reads a drive-mirror line of a move disk, the done bytes from its percentage', () => {
    expect(progressFromLogLine('drive-scsi0: transferred 1.0 GiB of 8.0 GiB (12.50%) in 5s')).toEqual({ unit: 'bytes', done: GiB, total: 8 * GiB });
    expect(progressFromLogLine('drive-virtio1: transferred 8.0 GiB of 8.0 GiB (100.00%) in 1m 3s, ready')).toEqual({
      unit: 'bytes',
      done: 8 * GiB,
      total: 8 * GiB,
    });
  });

  it("reads PVE's echo of qemu-img convert -p", () => {
    expect(progressFromLogLine('transferred 2.0 GiB of 8.0 GiB (25.00%)')).toEqual({ unit: 'bytes', done: 2 * GiB, total: 8 * GiB });
  });

  it('reads a VM backup status line with its read rate', () => {
    expect(progressFromLogLine('INFO:  45% (1.8 GiB of 4.0 GiB) in 12s, read: 98.7 MiB/s, write: 90.1 MiB/s')).toEqual({
      unit: 'bytes',
      done: Math.round(1.8 * GiB),
      total: 4 * GiB,
      rate: Math.round(98.7 * MiB),
    });
    expect(progressFromLogLine('INFO: 100% (4.0 GiB of 4.0 GiB) in 1m 2s, read: 0 B/s, write: 0 B/s')).toMatchObject({ done: 4 * GiB, total: 4 * GiB });
  });

  it('reads qemu-img convert -p itself', () => {
    expect(progressFromLogLine('    (12.34/100%)')).toEqual({ unit: 'percent', done: 12.34, total: 100 });
  });

  it('finds nothing in other lines', () => {
    for (const line of [
      'INFO: starting new backup job: vzdump 100',
      'migration status: completed',
      'TASK OK',
      'average migration speed: 120.0 MiB/s - downtime 50 ms',
    ]) {
      expect(progressFromLogLine(line)).toBeUndefined();
    }
  });

  it('takes the newest progress of a batch', () => {
    expect(
      progressFromLogLines([
        'drive-scsi0: transferred 1.0 GiB of 8.0 GiB (12.50%) in 5s',
        'drive-scsi0: transferred 4.0 GiB of 8.0 GiB (50.00%) in 9s',
        'other',
      ]),
    ).toMatchObject({ done: 4 * GiB });
  });
});
