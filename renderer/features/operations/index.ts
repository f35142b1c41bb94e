/** The public surface of the operations feature. */
export { operationsRoutes } from './routes';
