import type { JobState, JobView } from '../../shared/domain/jobs';

type EndState = Exclude<JobState, 'queued' | 'running'>;

/** The system notification lives outside the renderer and its catalogues, so its few sentences are here, in both languages. */
const catalogue = {
  en: {
    succeeded: 'Task done',
    warnings: (n: number) => `Task done with ${n} warning${n === 1 ? '' : 's'}: see its log in the task pane.`,
    failed: 'Task failed',
    cancelled: 'Task stopped',
    onNode: (node: string) => `on ${node}`,
    seeLog: 'Open the task pane for its log.',
  },
  fr: {
    succeeded: 'Tâche terminée',
    warnings: (n: number) => `Tâche terminée avec ${n} avertissement${n === 1 ? '' : 's'} : voyez son journal dans le panneau des tâches.`,
    failed: 'La tâche a échoué',
    cancelled: 'Tâche arrêtée',
    onNode: (node: string) => `sur ${node}`,
    seeLog: 'Ouvrez le panneau des tâches pour son journal.',
  },
} as const;

/** Says how a job ended, in the user's language (French for any `fr*` locale, else English). */
export function jobNotificationText(job: JobView & { state: EndState }, locale: string): { title: string; body: string } {
  const text = locale.toLowerCase().startsWith('fr') ? catalogue.fr : catalogue.en;
  const params = job.title.params ?? {};
  const what = [params.type ?? job.kind, params.id ?? job.subject.vmid].filter((part) => part !== undefined && part !== '').join(' ');
  const where = job.subject.node !== undefined ? ` ${text.onNode(job.subject.node)}` : '';
  const subject = `${what}${where}${job.subject.cluster !== undefined ? ` (${job.subject.cluster})` : ''}`;
  if (job.state === 'failed') return { title: text.failed, body: `${subject}: ${job.error ?? text.seeLog}` };
  if (job.state === 'succeeded' && job.warnings !== undefined) return { title: text.succeeded, body: `${subject}. ${text.warnings(job.warnings)}` };
  return { title: text[job.state], body: subject };
}

export function isEnded(job: JobView): job is JobView & { state: EndState } {
  return job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';
}
