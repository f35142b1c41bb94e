import type { P2vJobView, P2vReport, P2vSource, P2vStepId } from '../../../../shared/domain/p2v';
import { describeArtifact } from './artifacts';
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
    // The import step always compares the imported volume with what it was imported from.
    verification: work.verification ?? { method: 'qemu-img-compare', identical: true },
    wireBytes: view.transfer?.wireBytes ?? 0,
    warnings: [...work.warnings],
  };
}

const stepTitles: Record<P2vStepId, string> = {
  inspect: 'Inspect',
  prepare: 'Prepare',
  transfer: 'Transfer',
  verify: 'Verify',
  'create-vm': 'Create VM',
  'import-disk': 'Attach disk',
  configure: 'Configure',
  start: 'Start',
};

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

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** Markdown-safe text of a value that came from outside (file names, errors): no markup, one line. */
function text(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** The report the wizard shows and saves: plain Markdown built line by line, no HTML. */
export function renderReport(view: P2vJobView): { fileName: string; markdown: string } {
  const { target } = view.plan;
  const report = view.report;
  const lines: string[] = [
    `# P2V migration of ${text(describeSource(view.plan.source))}`,
    '',
    `- **Result:** ${view.state}`,
    `- **Source:** ${text(describeSource(view.plan.source))}`,
    `- **VM:** ${target.vmid} (${text(target.name)}) on node ${text(target.node)}, storage ${text(target.storage)} as ${target.format}`,
    `- **Hardware:** ${target.sockets} × ${target.cores} vCPU, ${target.memoryMiB} MiB, disk on ${target.diskBus}, ${target.firmware === 'ovmf' ? 'UEFI (OVMF)' : 'BIOS (SeaBIOS)'}, NIC ${target.nic.model} on ${text(target.nic.bridge)}`,
    `- **Started:** ${report?.startedAt ?? view.createdAt}`,
    `- **Ended:** ${report?.endedAt ?? view.updatedAt}`,
  ];
  if (view.transfer !== undefined)
    lines.push(`- **Bytes over the wire:** ${formatBytes(view.transfer.wireBytes)} (allocated in the source: ${formatBytes(view.transfer.allocatedBytes)})`);
  if (view.error !== undefined) lines.push('', '## Error', '', text(view.error));
  lines.push('', '## Steps', '', '| Step | State | Duration | Bytes | Throughput |', '| --- | --- | --- | --- | --- |');
  for (const step of view.steps) {
    const seconds = step.startedAt !== undefined && step.endedAt !== undefined ? (Date.parse(step.endedAt) - Date.parse(step.startedAt)) / 1000 : undefined;
    const bytes = step.bytes !== undefined ? formatBytes(step.bytes) : '';
    const rate = step.bytes !== undefined && seconds !== undefined && seconds > 0 ? `${formatBytes(step.bytes / seconds)}/s` : '';
    lines.push(`| ${stepTitles[step.id]} | ${step.state} | ${seconds !== undefined ? formatSeconds(seconds) : ''} | ${bytes} | ${rate} |`);
  }
  if (report !== undefined) {
    lines.push('', '## Verification', '');
    if (report.verification.method === 'sha256-blocks') {
      lines.push(
        'The guest-visible content was hashed on both sides (SHA-256 over blocks):',
        '',
        `- source: \`${report.verification.source}\``,
        `- target: \`${report.verification.target}\``,
      );
    } else {
      lines.push('`qemu-img compare` found the imported disk identical to the source.');
    }
  }
  const warnings = report?.warnings ?? [];
  if (warnings.length > 0) lines.push('', '## Warnings', '', ...warnings.map((warning) => `- ${text(warning)}`));
  if (view.cleaned.length > 0) lines.push('', '## Removed by the rollback', '', ...view.cleaned.map((artifact) => `- ${text(describeArtifact(artifact))}`));
  const day = (report?.endedAt ?? view.updatedAt).slice(0, 10);
  return { fileName: `p2v-${target.vmid}-${target.name}-${day}.md`, markdown: lines.join('\n') + '\n' };
}
