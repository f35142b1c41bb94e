import type { P2vReport, P2vSource } from '../../../../shared/domain/p2v';
import type { P2vJobRecord } from './job-record';

/** The source in words: the image's file name, `user@host:device`, or the node volume. */
export function describeSource(source: P2vSource): string {
  switch (source.kind) {
    case 'workstation':
      return source.path.split(/[\\/]/).pop() ?? source.path;
    case 'ssh':
      return `${source.address.username}@${source.address.host}:${source.device}`;
    case 'node-import':
      return `${source.volid} on ${source.node}`;
  }
}

/** The figures of a succeeded migration: each step's time, bytes and throughput, how the content was proven equal. */
export function buildReport(record: P2vJobRecord, now: Date): P2vReport {
  const { view, work } = record;
  const steps = view.steps.flatMap((step) => {
    if (step.state !== 'done' || step.startedAt === undefined || step.endedAt === undefined) return [];
    const seconds = Math.max(0, (Date.parse(step.endedAt) - Date.parse(step.startedAt)) / 1000);
    const throughput = step.bytes !== undefined && seconds > 0 ? { bytesPerSecond: Math.round(step.bytes / seconds) } : {};
    return [{ id: step.id, seconds, ...(step.bytes !== undefined ? { bytes: step.bytes } : {}), ...throughput }];
  });
  const { target } = view.plan;
  return {
    startedAt: view.steps.find((step) => step.startedAt !== undefined)?.startedAt ?? view.createdAt,
    endedAt: now.toISOString(),
    source: describeSource(view.plan.source),
    vm: { profileId: target.profileId, node: target.node, vmid: target.vmid, name: target.name },
    steps,
    // Every path records how it proved the disk equal; a record kept from before it did was compared at its import.
    verification: work.verification ?? { method: 'qemu-img-compare', identical: true },
    wireBytes: view.transfer?.wireBytes ?? 0,
    warnings: [...work.warnings],
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}
