/** The public surface of the operations feature. */
export { operationsRoutes } from './routes';
export { default as OperationsHost } from './OperationsHost.vue';
export { useOperationsDialogs, type DialogRequest } from './operations-dialogs';
