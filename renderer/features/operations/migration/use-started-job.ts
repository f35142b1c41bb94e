import { computed, onMounted, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { JobView } from '../../../../shared/domain/jobs';
import { hasEnded, useJobsStore } from '../../tasks';
import { useOperation } from '../use-operation';

/**
 * A dialog that starts one job and then follows it in place (migrate, evacuate): its submit (the dialog stays open
 * when the job starts), the job as the task pane last heard of it (the store follows its state, progress and
 * outcome), whether it has ended, and the dialog's cancel button, which says Close once the job has started.
 */
export function useStartedJob() {
  const { t } = useI18n();
  const jobs = useJobsStore();
  const operation = useOperation({ closeOnSuccess: false });
  const started = shallowRef<JobView>();
  onMounted(() => void jobs.start());

  const job = computed(() => (started.value === undefined ? undefined : (jobs.get(started.value.id) ?? started.value)));
  const ended = computed(() => job.value !== undefined && hasEnded(job.value.state));
  const cancel = computed(() => ({ label: started.value === undefined ? t('common.cancel') : t('operations.migration.close'), testId: 'dialog-cancel' }));

  return { jobs, operation, started, job, ended, cancel };
}
