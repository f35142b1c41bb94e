import type { P2vJobView } from '../../../shared/domain/p2v';
import { inLocale } from '../../../shared/text/sentence';
import { formatBytes, formatNumber } from '../inventory';
import { sourceLabel } from './source-label';
import { stepSeconds } from './step-seconds';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Markdown-safe text of a value that came from outside (file names, errors): no markup, one line. */
function inert(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/**
 * The report the wizard shows and saves, in the user's language: plain Markdown built line by line, no HTML, every
 * name from outside escaped. What main wrote in words (an error, a warning) is quoted as it is.
 */
export function reportMarkdown(job: P2vJobView, t: Translate, locale: string): { fileName: string; markdown: string } {
  const { target, source } = job.plan;
  const report = job.report;
  const bytes = (value: number): string => formatBytes(value, locale);
  const when = (iso: string): string => new Date(iso).toLocaleString(locale);
  const field = (key: string, value: string): string => `- **${t(`p2v.reportDoc.${key}`)}** ${value}`;
  const lines: string[] = [
    `# ${t('p2v.reportDoc.title', { source: inert(sourceLabel(source)) })}`,
    '',
    field('result', t(`p2v.states.${job.state}`)),
    field('source', t('p2v.reportDoc.sourceValue', { kind: t(`p2v.source.kinds.${source.kind}.name`), label: inert(sourceLabel(source)) })),
    field(
      'vm',
      t('p2v.reportDoc.vmValue', {
        vmid: target.vmid,
        name: inert(target.name),
        node: inert(target.node),
        storage: inert(target.storage),
        format: target.format,
      }),
    ),
    field(
      'hardware',
      t('p2v.reportDoc.hardwareValue', {
        sockets: target.sockets,
        cores: target.cores,
        memory: bytes(target.memoryMiB * 1024 * 1024),
        bus: target.diskBus,
        firmware: t(`p2v.firmwares.${target.firmware}`),
        model: target.nic.model,
        bridge: inert(target.nic.bridge),
      }),
    ),
    field('started', when(report?.startedAt ?? job.createdAt)),
    field('ended', when(report?.endedAt ?? job.updatedAt)),
  ];
  if (job.transfer !== undefined)
    lines.push(field('wire', t('p2v.reportDoc.wireValue', { wire: bytes(job.transfer.wireBytes), allocated: bytes(job.transfer.allocatedBytes) })));
  if (job.error !== undefined)
    lines.push('', `## ${t('p2v.reportDoc.error')}`, '', inert(inLocale({ message: job.error, translations: job.errorTranslations }, locale)));
  const columns = (['step', 'state', 'duration', 'bytes', 'throughput'] as const).map((column) => t(`p2v.reportDoc.columns.${column}`));
  lines.push('', `## ${t('p2v.reportDoc.steps')}`, '', `| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`);
  for (const step of job.steps) {
    const seconds = stepSeconds(job, step);
    const took = seconds === undefined ? '' : `${formatNumber(seconds, locale, seconds < 10 ? 1 : 0)}\u00a0s`;
    const moved = step.bytes === undefined ? '' : bytes(step.bytes);
    const rate = step.bytes !== undefined && seconds !== undefined && seconds > 0 ? `${bytes(step.bytes / seconds)}/s` : '';
    lines.push(`| ${t(`p2v.jobSteps.${step.id}`)} | ${t(`p2v.stepStates.${step.state}`)} | ${took} | ${moved} | ${rate} |`);
  }
  if (report !== undefined) {
    lines.push('', `## ${t('p2v.reportDoc.verification')}`, '');
    if (report.verification.method === 'sha256-blocks') {
      lines.push(
        t('p2v.reportDoc.hashed'),
        '',
        `- ${t('p2v.reportDoc.sourceDigest')} \`${report.verification.source}\``,
        `- ${t('p2v.reportDoc.targetDigest')} \`${report.verification.target}\``,
      );
    } else {
      lines.push(t('p2v.reportDoc.compared'));
    }
  }
  const warnings = report?.warnings ?? [];
  if (warnings.length > 0) lines.push('', `## ${t('p2v.reportDoc.warnings')}`, '', ...warnings.map((warning) => `- ${inert(warning)}`));
  if (job.cleaned.length > 0) {
    lines.push('', `## ${t('p2v.reportDoc.removed')}`, '');
    for (const artifact of job.cleaned) {
      const where = artifact.node === undefined ? '' : ` (${inert(artifact.node)})`;
      lines.push(`- ${t(`p2v.artifacts.${artifact.kind}`)}: ${inert(artifact.ref)}${where}`);
    }
  }
  const day = (report?.endedAt ?? job.updatedAt).slice(0, 10);
  return { fileName: `p2v-${target.vmid}-${target.name}-${day}.md`, markdown: lines.join('\n') + '\n' };
}
