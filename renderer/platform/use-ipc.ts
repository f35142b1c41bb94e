import { inject, type App, type InjectionKey, type Plugin } from 'vue';
import type { IpcClient } from '../../shared/ipc/client';

const ipcKey: InjectionKey<IpcClient> = Symbol('ipc');

/**
 * Gives the app its IPC client: the host's in the page, a fake in component tests
 * (renderer/testing), so no test needs to mock a module.
 */
export function ipcPlugin(client: IpcClient): Plugin {
  return {
    install(app: App) {
      app.provide(ipcKey, client);
    },
  };
}

/** The app's IPC client, from a component's setup, a composable or a Pinia setup store. */
export function useIpc(): IpcClient {
  const client = inject(ipcKey, undefined);
  if (client === undefined) throw new Error('No IPC client: install ipcPlugin(client) on the app (renderer/main.ts, or mountWithFakeIpc in tests).');
  return client;
}
