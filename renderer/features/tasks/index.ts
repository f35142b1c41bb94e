export { default as TaskPane } from './TaskPane.vue';
export { useJobsStore } from './jobs-store';
