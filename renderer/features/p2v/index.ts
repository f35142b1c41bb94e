/** The public surface of the P2V feature. */
export { p2vRoutes } from './routes';
export { useP2vPaletteCommands } from './palette-commands';
