import { useI18n } from 'vue-i18n';
import type { JobView } from '../../../shared/domain/jobs';

const pveKindPrefix = 'pve:';

/** A job's title in the current language: the key the job gives (a PVE task's names its type), else the raw kind. */
export function useJobText() {
  const { t, te } = useI18n();

  function title(job: JobView): string {
    if (te(job.title.key)) return t(job.title.key, job.title.params ?? {});
    const kind = job.kind.startsWith(pveKindPrefix) ? job.kind.slice(pveKindPrefix.length) : job.kind;
    return job.subject.vmid === undefined ? kind : `${kind} ${job.subject.vmid}`;
  }

  /** "pve1 · guest 100": where it runs, as the node column shows it. */
  function place(job: JobView): string {
    const parts = [job.subject.node, job.subject.vmid === undefined ? undefined : t('tasks.guest', { vmid: job.subject.vmid })];
    return parts.filter((part) => part !== undefined).join(' · ');
  }

  return { title, place };
}
