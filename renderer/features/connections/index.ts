export { default as ConnectionsView } from './ConnectionsView.vue';
export { default as HostKeyDialog } from './HostKeyDialog.vue';
export { statusLook, useStatusColor } from './connection-status';
export { displayText } from './display-text';
export { connectionsRoutes } from './routes';
export { useConnectionsPaletteCommands } from './palette-commands';
export { useConnectionsStore } from './connections-store';
