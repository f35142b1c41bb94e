export { default as TaskPane } from './TaskPane.vue';
export { useJobsStore } from './jobs-store';
export { default as JobProgressBar } from './JobProgressBar.vue';
export { default as JobStateTag } from './JobStateTag.vue';
export { hasEnded, jobFailure } from './job-format';
export { useJobOutcome } from './job-outcome';
export { useJobLog } from './use-job-log';
