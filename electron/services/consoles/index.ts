/** The public surface of consoles: the relay that carries VNC, SPICE and terminal bytes between a viewer and PVE. */
export { ConsolesService, type ConsolesServiceOptions } from './consoles-service';
export { consolesHandlers, type ConsolesHandlers } from './handlers';
export { RelayServer, type RelayServerOptions } from './relay/relay-server';
export type { IssuedRelayUrl, RelayEntry } from './relay/relay-entry';
export { pumpBetween, type PumpOptions } from './relay/pump';
export { WindowKeys } from './relay/window-keys';
