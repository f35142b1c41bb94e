/** The public surface of jobs: what other features and the hosts use. */
export { JobsService, type JobsServiceOptions } from './jobs-service';
export { jobsHandlers, type JobsHandlers } from './handlers';
export type { ClusterSessions, TaskClient } from './cluster-sessions';
export type { JobContext, JobNotifier, JobWork } from './job-registry';
