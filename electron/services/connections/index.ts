/** The public surface of the connections feature: what the hosts and the boot use. */
export { ConnectionsService, type ConnectionsServiceOptions } from './connections-service';
export { connectionsHandlers, type ConnectionsHandlers } from './handlers';
export { seedLabProfiles } from './lab-profiles';
