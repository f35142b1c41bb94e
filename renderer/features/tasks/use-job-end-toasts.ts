import { useMessage } from 'naive-ui';
import { onBeforeUnmount } from 'vue';
import { useI18n } from 'vue-i18n';
import { useJobsStore } from './jobs-store';
import { useJobText } from './use-job-text';

/** An in-app toast when a job the user started ends; Electron's system notification comes from main. */
export function useJobEndToasts(): void {
  const store = useJobsStore();
  const message = useMessage();
  const { t } = useI18n();
  const { title } = useJobText();

  const stopListening = store.onJobEnded((job) => {
    const name = title(job);
    const options = { duration: 6000, closable: true };
    if (job.state === 'failed') message.error(t('tasks.ended.failed', { title: name, error: job.error ?? '' }), { ...options, duration: 10000 });
    else if (job.state === 'cancelled') message.warning(t('tasks.ended.cancelled', { title: name }), options);
    else if ((job.warnings ?? 0) > 0) message.warning(t('tasks.ended.warnings', { title: name }), options);
    else message.success(t('tasks.ended.succeeded', { title: name }), options);
  });
  onBeforeUnmount(stopListening);
}
