import type { JobProgress } from '../../../shared/domain/jobs';

/**
 * Progress read from the lines PVE writes into task logs. Sizes there are
 * pve-common's render_bytes: one decimal and a binary unit ("1.5 GiB", "0 B").
 */
const size = String.raw`(\d+(?:\.\d+)?) (B|KiB|MiB|GiB|TiB|PiB)`;
const unitPower: Record<string, number> = { B: 0, KiB: 1, MiB: 2, GiB: 3, TiB: 4, PiB: 5 };

function bytes(value: string | undefined, unit: string | undefined): number {
  return Math.round(Number(value) * 1024 ** (unitPower[unit ?? 'B'] ?? 0));
}

/** qemu-server QemuMigrate.pm phase2: `migration active, transferred 1.2 GiB of 4.0 GiB VM-state, 110.5 MiB/s`. */
const migration = new RegExp(String.raw`migration (?:active|device), transferred ${size} of ${size} VM-state, ${size}/s`);
/**
 * A percentage with the sizes: drive-mirror and block jobs (qemu-server
 * QemuServer/BlockJob.pm: `drive-scsi0: transferred 1.0 GiB of 8.0 GiB (12.50%) in 5s`)
 * and PVE's echo of `qemu-img convert -p` (QemuServer/QemuImage.pm: `transferred 1.0 GiB of 8.0 GiB (12.50%)`).
 * The percentage has two decimals where the sizes have one, so the done bytes come from it.
 */
const transfer = new RegExp(String.raw`transferred ${size} of ${size} \((\d+(?:\.\d+)?)%\)`);
/** vzdump of a VM (qemu-server VZDump/QemuServer.pm): `INFO:  45% (1.2 GiB of 32.0 GiB) in 12s, read: 98.7 MiB/s, write: 90.1 MiB/s`. */
const backup = new RegExp(String.raw`INFO:\s+(\d{1,3})% \(${size} of ${size}\) in [^,]+, read: ${size}/s`);
/** `qemu-img convert -p` itself: `    (12.34/100%)`. */
const qemuImg = /\((\d+(?:\.\d+)?)\/100%\)/;

/** The progress a task log line reports, or undefined when it reports none. */
export function progressFromLogLine(line: string): JobProgress | undefined {
  let m = migration.exec(line);
  if (m) return { unit: 'bytes', done: bytes(m[1], m[2]), total: bytes(m[3], m[4]), rate: bytes(m[5], m[6]) };
  m = transfer.exec(line);
  if (m) {
    const total = bytes(m[3], m[4]);
    return { unit: 'bytes', done: Math.round((total * Number(m[5])) / 100), total };
  }
  m = backup.exec(line);
  if (m) {
    const total = bytes(m[4], m[5]);
    return { unit: 'bytes', done: Math.min(total, bytes(m[2], m[3])), total, rate: bytes(m[6], m[7]) };
  }
  m = qemuImg.exec(line);
  if (m) return { unit: 'percent', done: Number(m[1]), total: 100 };
  return undefined;
}

/** The last progress a batch of lines reports: only the newest counts. */
export function progressFromLogLines(lines: readonly string[]): JobProgress | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const progress = progressFromLogLine(lines[i] ?? '');
    if (progress) return progress;
  }
  return undefined;
}
