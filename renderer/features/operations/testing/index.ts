// What the operations feature's component tests share: a guest's config served, dialogs opened, form fields used.
export { adminPrivileges, digestA, digestB, operationsRouter, pendingConfig, serveGuestConfig } from './config-host';
export { openGuestDialog } from './dialog-host';
export { choose, enter, inputOf, options, problemAt } from './form-fields';
