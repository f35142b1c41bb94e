import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcBridge } from '../../shared/ipc/bridge';
import { ipcChannels } from '../../shared/ipc/channels';

/**
 * The whole surface the page gets: two functions. No ipcRenderer, no event
 * object, no Node: the page only learns the payloads of the calls it makes
 * and of the events it subscribes to.
 */
const api: IpcBridge = {
  invoke: (method, input) => ipcRenderer.invoke(ipcChannels.invoke, method, input),
  subscribe: (event, listener) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const relay = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(ipcChannels.event, relay);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, relay);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
