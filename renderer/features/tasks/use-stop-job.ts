import { useDialog, useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import type { JobView } from '../../../shared/domain/jobs';
import { useNotify } from '../../platform/use-notify';
import { useJobsStore } from './jobs-store';
import { useJobText } from './use-job-text';
import { useSignedInUser } from './use-signed-in-user';

/**
 * Stops a job, first asking when it is a cluster task somebody else started:
 * stopping it ends their work, which deserves a second thought.
 */
export function useStopJob() {
  const store = useJobsStore();
  const dialog = useDialog();
  const message = useMessage();
  const notify = useNotify();
  const { t } = useI18n();
  const { title } = useJobText();
  const userOf = useSignedInUser();

  async function send(job: JobView): Promise<void> {
    try {
      const cancelled = await store.cancel(job.id);
      if (cancelled) message.info(t('tasks.stop.requested', { title: title(job) }));
      else message.info(t('tasks.stop.alreadyEnded'));
    } catch (error) {
      notify.failure('tasks.stop.failed', error);
    }
  }

  function someoneElses(job: JobView): boolean {
    if (job.origin === 'app') return false;
    const me = userOf(job.subject.profileId);
    return me === undefined || job.user?.split('!')[0] !== me;
  }

  return function stop(job: JobView): void {
    if (!someoneElses(job)) {
      void send(job);
      return;
    }
    dialog.warning({
      title: t('tasks.stop.confirmTitle'),
      content: t('tasks.stop.confirmBody', { user: job.user ?? '?', title: title(job), node: job.subject.node ?? '?' }),
      positiveText: t('tasks.stop.confirm'),
      negativeText: t('tasks.stop.cancel'),
      positiveButtonProps: { type: 'error', 'data-testid': 'confirm-stop' } as Record<string, unknown>,
      onPositiveClick: () => void send(job),
    });
  };
}
