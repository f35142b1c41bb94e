/** The public surface of the app feature: what the app is and where it runs. */
export { describeApp } from './app-service';
export { appHandlers, type AppHandlers, type WindowOpener } from './handlers';
