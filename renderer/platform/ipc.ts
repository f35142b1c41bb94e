import type { IpcBridge } from '../../shared/ipc/bridge';
import { createIpcClient, type IpcClient } from '../../shared/ipc/client';
import { ref } from 'vue';
import { createWebSocketBridge, tabCredential, webSocketUrl, type ConnectionState } from './web-socket-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the web host serves the page. */
    api?: IpcBridge;
  }
}

/** The state of the link to the host; always 'open' under Electron. */
export const hostConnection = ref<ConnectionState>('open');

function pickBridge(): IpcBridge {
  if (window.api !== undefined) return window.api;
  return createWebSocketBridge({
    url: webSocketUrl(window.location),
    credential: tabCredential(window.location, window.sessionStorage, window.history),
    onStateChange: (state) => (hostConnection.value = state),
  });
}

/** The client of the host that serves this page (Electron's preload, or the web host's WebSocket); main.ts provides it. */
export function createHostIpc(): IpcClient {
  return createIpcClient(pickBridge());
}
