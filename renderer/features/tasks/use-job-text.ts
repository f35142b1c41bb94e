import { useI18n } from 'vue-i18n';
import type { JobView } from '../../../shared/domain/jobs';

const pveKindPrefix = 'pve:';

/** A job's title in the current language: the key the job gives, else the PVE task type's name, else the raw kind. */
export function useJobText() {
  const { t, te } = useI18n();

  function title(job: JobView): string {
    if (te(job.title.key)) return t(job.title.key, job.title.params ?? {});
    const type = job.kind.startsWith(pveKindPrefix) ? job.kind.slice(pveKindPrefix.length) : undefined;
    const target = job.subject.vmid ?? job.subject.node ?? '';
    if (type !== undefined && te(`tasks.kinds.${type}`)) return t(`tasks.kinds.${type}`, { target });
    return job.subject.vmid === undefined ? job.kind : `${job.kind} ${job.subject.vmid}`;
  }

  /** "pve1 · guest 100": where it runs, as the node column shows it. */
  function place(job: JobView): string {
    const parts = [job.subject.node, job.subject.vmid === undefined ? undefined : t('tasks.guest', { vmid: job.subject.vmid })];
    return parts.filter((part) => part !== undefined).join(' · ');
  }

  return { title, place };
}
