/** The public surface of P2V: migrations of physical servers and disk images into cluster VMs, as resumable jobs. */
export { P2vService, type P2vServiceOptions } from './p2v-service';
export { p2vHandlers, type P2vHandlers } from './handlers';
