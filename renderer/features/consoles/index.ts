/** The public surface of the consoles feature. */
export { consolesRoutes } from './routes';
export { default as ConsolesHost } from './ConsolesHost.vue';
export { default as ConsolesNavButton } from './ConsolesNavButton.vue';
export { useConsolesPaletteCommands } from './palette-commands';
export { useConsolesStore } from './consoles-store';
export { default as ConsoleTab } from './ConsoleTab.vue';
