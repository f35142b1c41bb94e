/** The public surface of consoles: the relay that carries VNC, SPICE and terminal bytes between a viewer and PVE. */
export { ConsolesService, type ConsolesServiceOptions } from './consoles-service';
export { consolesHandlers, type ConsolesHandlers } from './handlers';
