/** The public surface of operations: its service for the hosts, its handlers for the router. */
export { OperationsService, type OperationsServiceOptions } from './operations-service';
export { operationsHandlers, type OperationsHandlers } from './handlers';
/** For features that change a guest's config themselves (P2V's Windows switch): the form with its digest, PVE's refusals translated. */
export { configChangeForm } from './config-change';
export { conflictError, isConflictMessage, send as sendPveCall } from './pve-failures';
