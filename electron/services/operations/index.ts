/** The public surface of operations: its service for the hosts, its handlers for the router. */
export { OperationsService, type OperationsServiceOptions } from './operations-service';
export { operationsHandlers, type OperationsHandlers } from './handlers';
