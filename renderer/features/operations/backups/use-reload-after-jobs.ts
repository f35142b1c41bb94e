import { onBeforeUnmount } from 'vue';
import type { JobView } from '../../../../shared/domain/jobs';
import { useJobsStore } from '../../tasks';

/**
 * Reads a list again whenever a job this app started ends and concerns it
 * (a snapshot taken, a backup made or restored): the list shows the result
 * without the user asking.
 */
export function useReloadAfterJobs(concerns: (job: JobView) => boolean, reload: () => void): void {
  const jobs = useJobsStore();
  void jobs.start();
  const stop = jobs.onJobEnded((job) => {
    if (concerns(job)) reload();
  });
  onBeforeUnmount(stop);
}
