/** The public surface of the operations feature. */
export { operationsRoutes } from './routes';
export { useBackupJobsPaletteCommands } from './backup-jobs/palette-commands';
export { useCreatePaletteCommands } from './create-palette-commands';
export { default as OperationsHost } from './OperationsHost.vue';
export { useOperationsDialogs, type DialogRequest } from './operations-dialogs';
// The create dialog's fields and lookups, for the P2V wizard's target step (one form, not a copy).
export { default as FormField } from './FormField.vue';
export { default as SelectField } from './SelectField.vue';
export { default as NumberField } from './NumberField.vue';
export { default as NewGuestFields } from './NewGuestFields.vue';
export { default as DialogError } from './DialogError.vue';
export { useChoiceOptions } from './choice-options';
export { nameProblem, vmidProblem } from './guest-fields';
export { useInventoryLookups } from './inventory-lookups';
export { isFileStorage, useBridges, useDiskStorages, useIsoImages } from './use-node-resources';
export { useLoaded } from './use-loaded';
export { operationError, type OperationError } from './use-operation';
