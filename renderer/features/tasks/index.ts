export { default as TaskPane } from './TaskPane.vue';
