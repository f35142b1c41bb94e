/** The public surface of the operations feature. */
export { operationsRoutes } from './routes';
export { useBackupJobsPaletteCommands } from './backup-jobs/palette-commands';
export { useCreatePaletteCommands } from './create-palette-commands';
export { default as OperationsHost } from './OperationsHost.vue';
export { useOperationsDialogs, type DialogRequest } from './operations-dialogs';
